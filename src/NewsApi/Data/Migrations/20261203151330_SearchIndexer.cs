using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class SearchIndexer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "search_queue",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    article_id = table.Column<Guid>(type: "uuid", nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "clock_timestamp()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_search_queue", x => x.id);
                });

            // The index is written by the search indexer now, from the queue (Decisions/0015-search-indexer.md): a write
            // no longer updates the search row, its GIN entries included, in its own transaction. The row's visibility
            // is the indexer's copy; searches check each hit's article as it is now.
            migrationBuilder.Sql("""
                DROP TRIGGER search_visibility ON articles;
                DROP FUNCTION articles_search_visibility();
                DROP TRIGGER visibility ON article_search_documents;
                DROP FUNCTION article_search_documents_visibility();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The triggers of migration SearchVisibility, as it made them.
            migrationBuilder.Sql("""
                CREATE FUNCTION article_search_documents_visibility() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    SELECT CASE WHEN a.status = 'Published' THEN a.published_at END, a.embargo_until
                    INTO NEW.published_at, NEW.embargo_until
                    FROM articles a WHERE a.id = NEW.article_id;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER visibility BEFORE INSERT ON article_search_documents
                    FOR EACH ROW EXECUTE FUNCTION article_search_documents_visibility();

                CREATE FUNCTION articles_search_visibility() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE article_search_documents
                    SET published_at = CASE WHEN NEW.status = 'Published' THEN NEW.published_at END,
                        embargo_until = NEW.embargo_until
                    WHERE article_id = NEW.id;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER search_visibility AFTER UPDATE OF status, published_at, embargo_until ON articles
                    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                                       OR OLD.published_at IS DISTINCT FROM NEW.published_at
                                       OR OLD.embargo_until IS DISTINCT FROM NEW.embargo_until)
                    EXECUTE FUNCTION articles_search_visibility();
                UPDATE article_search_documents d
                SET published_at = CASE WHEN a.status = 'Published' THEN a.published_at END, embargo_until = a.embargo_until
                FROM articles a WHERE a.id = d.article_id;
                """);

            migrationBuilder.DropTable(
                name: "search_queue");
        }
    }
}
