using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <summary>
    /// Each invalidation row notifies its id on channel newsapi_invalidations; PostgreSQL delivers it to every
    /// listening instance when the writing transaction commits (Changes/PostgresNotifications).
    /// </summary>
    public partial class CacheInvalidationNotify : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION notify_cache_invalidation() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('newsapi_invalidations', NEW.id::text);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER cache_invalidations_notify AFTER INSERT ON cache_invalidations
                    FOR EACH ROW EXECUTE FUNCTION notify_cache_invalidation();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER cache_invalidations_notify ON cache_invalidations;
                DROP FUNCTION notify_cache_invalidation();
                """);
        }
    }
}
