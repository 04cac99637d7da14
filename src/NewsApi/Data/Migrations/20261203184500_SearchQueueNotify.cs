using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <summary>
    /// Each statement adding to the search queue (an insert or a COPY, of one entry or thousands) notifies channel
    /// newsapi_search_queue once; PostgreSQL delivers it when the writing transaction commits, so the indexer starts on
    /// a change at once instead of at its next poll (Search/SearchIndexer).
    /// </summary>
    public partial class SearchQueueNotify : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION notify_search_queue() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('newsapi_search_queue', '');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER search_queue_notify AFTER INSERT ON search_queue
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_search_queue();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER search_queue_notify ON search_queue;
                DROP FUNCTION notify_search_queue();
                """);
        }
    }
}
