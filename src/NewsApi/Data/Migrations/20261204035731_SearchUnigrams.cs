using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <summary>
    /// The head fields now give each Han character as a unigram (one-character search, Decisions/0006-search.md), which
    /// only the C# tokenizer can write: every article is queued for the indexer, newest first, so a deployed database
    /// gets them in the background. Until its row is rewritten an article is found by longer queries as before and not
    /// by a one-character one; the lag shows in /health/ready as any other.
    /// </summary>
    public partial class SearchUnigrams : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Queue ids follow the insert's order, and the indexer takes the lowest first: the newest articles, the
            // ones searches find first, get their unigrams first.
            migrationBuilder.Sql("""
                INSERT INTO search_queue (article_id)
                SELECT a.id FROM articles a
                ORDER BY coalesce(a.published_at, a.updated_at) DESC, a.id DESC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: rows with unigrams are searched by the older code as before (it never asks for them).
        }
    }
}
