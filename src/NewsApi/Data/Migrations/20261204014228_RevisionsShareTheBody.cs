using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class RevisionsShareTheBody : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A revision whose body is its article's current one leaves it to the article (ArticleRevision.Snapshot):
            // the body is stored once. Only equal bodies are dropped, so every revision still reads what it recorded.
            migrationBuilder.Sql("""
                UPDATE article_revisions r SET snapshot = jsonb_set(r.snapshot, '{body}', 'null')
                FROM articles a
                WHERE a.id = r.article_id AND r.snapshot -> 'body' = a.body
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Each revision gets its own copy back, as the code before this expects.
            migrationBuilder.Sql("""
                UPDATE article_revisions r SET snapshot = jsonb_set(r.snapshot, '{body}', a.body)
                FROM articles a
                WHERE a.id = r.article_id AND jsonb_typeof(r.snapshot -> 'body') IS DISTINCT FROM 'array'
                """);
        }
    }
}
