using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <summary>
    /// Whether the public could ever read an article, for the kill's 410 (once public) or 404 (never), and a live
    /// article's scheduled unpublish in the read model, for its own cache lifetime. The past is read from what the
    /// rows still say: an article that went live (first_published_at) with no embargo left, or one that ended before
    /// now (before the kill, for a killed one), was public; its time is the later of the two. A killed article whose
    /// embargo outlived its kill never was, and its tombstone goes: it now reads as not found.
    /// </summary>
    public partial class Visibility : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_public_at",
                table: "articles",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "unpublish_at",
                table: "article_reads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE articles
                SET first_public_at = LEAST(now(), GREATEST(COALESCE(first_published_at, published_at), embargo_until))
                WHERE COALESCE(first_published_at, published_at) IS NOT NULL
                  AND CASE WHEN status = 'Killed'
                           THEN COALESCE(first_published_at, published_at) <= killed_at AND (embargo_until IS NULL OR embargo_until <= killed_at)
                           WHEN status IN ('Published', 'Unpublished', 'Archived')
                           THEN embargo_until IS NULL OR embargo_until <= now()
                           ELSE false END;
                DELETE FROM article_reads r USING articles a WHERE a.id = r.id AND a.status = 'Killed' AND a.first_public_at IS NULL;
                UPDATE article_reads r SET unpublish_at = a.unpublish_at FROM articles a
                WHERE a.id = r.id AND a.status = 'Published' AND a.unpublish_at IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "first_public_at",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "unpublish_at",
                table: "article_reads");
        }
    }
}
