using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class ArticleBodyTextDerived : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The body's plain text is rendered from the blocks when read (Article.BodyText): the column was a second
            // copy of every body, derived from it, so dropping it loses nothing.
            migrationBuilder.DropColumn(
                name: "body_text",
                table: "articles");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQL cannot render the blocks as BodyRenderer does: the column comes back empty, filled again on each
            // article's next write.
            migrationBuilder.AddColumn<string>(
                name: "body_text",
                table: "articles",
                type: "text",
                nullable: false,
                defaultValue: "");
        }
    }
}
