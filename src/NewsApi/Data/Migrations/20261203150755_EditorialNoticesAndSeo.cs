using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class EditorialNoticesAndSeo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "corrections",
                table: "articles",
                newName: "notices");

            // The corrections stored so far become notices of type correction.
            migrationBuilder.Sql("""
                UPDATE articles SET notices = (SELECT coalesce(jsonb_agg(c || '{"type":"correction"}'::jsonb), '[]'::jsonb) FROM jsonb_array_elements(notices) c)
                WHERE jsonb_array_length(notices) > 0
                """);

            migrationBuilder.AddColumn<string>(
                name: "email",
                table: "authors",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "job_title",
                table: "authors",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "photo",
                table: "authors",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "same_as",
                table: "authors",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<bool>(
                name: "breaking",
                table: "articles",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "breaking_until",
                table: "articles",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "canonical_url",
                table: "articles",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "genre",
                table: "articles",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "news");

            migrationBuilder.AddColumn<bool>(
                name: "is_accessible_for_free",
                table: "articles",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "keywords",
                table: "articles",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<string>(
                name: "meta_description",
                table: "articles",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "noindex",
                table: "articles",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "og_image",
                table: "articles",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "paywall_after",
                table: "articles",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "seo_title",
                table: "articles",
                type: "character varying(110)",
                maxLength: 110,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "urgency",
                table: "articles",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "noindex",
                table: "article_reads",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_articles_due_breaking",
                table: "articles",
                column: "breaking_until",
                filter: "breaking_until IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_articles_due_breaking",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "email",
                table: "authors");

            migrationBuilder.DropColumn(
                name: "job_title",
                table: "authors");

            migrationBuilder.DropColumn(
                name: "photo",
                table: "authors");

            migrationBuilder.DropColumn(
                name: "same_as",
                table: "authors");

            migrationBuilder.DropColumn(
                name: "breaking",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "breaking_until",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "canonical_url",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "genre",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "is_accessible_for_free",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "keywords",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "meta_description",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "noindex",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "og_image",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "paywall_after",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "seo_title",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "urgency",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "noindex",
                table: "article_reads");

            // Back to corrections: only the notices of type correction had a place there.
            migrationBuilder.Sql("""
                UPDATE articles SET notices = (SELECT coalesce(jsonb_agg(n - 'type'), '[]'::jsonb) FROM jsonb_array_elements(notices) n
                                               WHERE n->>'type' = 'correction')
                WHERE jsonb_array_length(notices) > 0
                """);
            migrationBuilder.RenameColumn(
                name: "notices",
                table: "articles",
                newName: "corrections");
        }
    }
}
