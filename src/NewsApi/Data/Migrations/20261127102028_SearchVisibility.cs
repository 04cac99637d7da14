using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class SearchVisibility : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "embargo_until",
                table: "article_search_documents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "published_at",
                table: "article_search_documents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE article_search_documents d
                SET published_at = CASE WHEN a.status = 'Published' THEN a.published_at END, embargo_until = a.embargo_until
                FROM articles a WHERE a.id = d.article_id;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_article_search_documents_public",
                table: "article_search_documents",
                columns: new[] { "published_at", "article_id" },
                descending: new bool[0],
                filter: "published_at IS NOT NULL");

            // Triggers rather than C#: every write path (EF, the scheduler, bulk COPY, raw SQL) keeps the copy right.
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

                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER search_visibility ON articles;
                DROP FUNCTION articles_search_visibility();
                DROP TRIGGER visibility ON article_search_documents;
                DROP FUNCTION article_search_documents_visibility();
                """);

            migrationBuilder.DropIndex(
                name: "ix_article_search_documents_public",
                table: "article_search_documents");

            migrationBuilder.DropColumn(
                name: "embargo_until",
                table: "article_search_documents");

            migrationBuilder.DropColumn(
                name: "published_at",
                table: "article_search_documents");
        }
    }
}
