using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class RevisionSnapshotsWithoutNulls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Snapshots are written without their null members now (ArticleRevisionConfiguration); the stored ones lose
            // theirs too, nested ones included, as the serializer leaves them out. They read back the same.
            migrationBuilder.Sql("UPDATE article_revisions SET snapshot = jsonb_strip_nulls(snapshot) WHERE snapshot <> jsonb_strip_nulls(snapshot)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: a member left out reads as null, before this as after it.
        }
    }
}
