using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReadModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "article_reads",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "text", nullable: false),
                    section_id = table.Column<Guid>(type: "uuid", nullable: true),
                    refs = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    embargo_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    kill_reason = table.Column<string>(type: "text", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    shape = table.Column<int>(type: "integer", nullable: false),
                    document = table.Column<byte[]>(type: "bytea", nullable: true),
                    item = table.Column<byte[]>(type: "bytea", nullable: true),
                    bodies = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_article_reads", x => x.id);
                    table.ForeignKey(
                        name: "fk_article_reads_articles_id",
                        column: x => x.id,
                        principalTable: "articles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_article_reads_published",
                table: "article_reads",
                columns: new[] { "published_at", "id" },
                descending: new bool[0],
                filter: "kill_reason IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_article_reads_refs",
                table: "article_reads",
                column: "refs")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_article_reads_section",
                table: "article_reads",
                columns: new[] { "section_id", "published_at", "id" },
                descending: new[] { false, true, true },
                filter: "kill_reason IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_article_reads_slug",
                table: "article_reads",
                column: "slug");

            // Read on every public request: lz4 decompresses several times faster than the default pglz.
            migrationBuilder.Sql("ALTER TABLE article_reads ALTER COLUMN document SET COMPRESSION lz4, ALTER COLUMN item SET COMPRESSION lz4, " +
                                 "ALTER COLUMN bodies SET COMPRESSION lz4;");

            migrationBuilder.CreateIndex(
                name: "ix_article_reads_updated",
                table: "article_reads",
                columns: new[] { "updated_at", "id" },
                descending: new bool[0],
                filter: "kill_reason IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "article_reads");
        }
    }
}
