using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "authors",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    bio = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_authors", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sections",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    parent_id = table.Column<Guid>(type: "uuid", nullable: true),
                    position = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sections", x => x.id);
                    table.ForeignKey(
                        name: "fk_sections_sections_parent_id",
                        column: x => x.parent_id,
                        principalTable: "sections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "tags",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tags", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "topics",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    cover_image = table.Column<string>(type: "jsonb", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_topics", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "articles",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    external_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    slug = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    subtitle = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    body = table.Column<string>(type: "jsonb", nullable: false),
                    dateline = table.Column<string>(type: "jsonb", nullable: true),
                    byline = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    source = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    language = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: false),
                    section_id = table.Column<Guid>(type: "uuid", nullable: true),
                    cover_image = table.Column<string>(type: "jsonb", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    publish_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    first_published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    unpublish_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    embargo_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    killed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    kill_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    corrections = table.Column<string>(type: "jsonb", nullable: false),
                    body_text = table.Column<string>(type: "text", nullable: false),
                    char_count = table.Column<int>(type: "integer", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_articles", x => x.id);
                    table.ForeignKey(
                        name: "fk_articles_sections_section_id",
                        column: x => x.section_id,
                        principalTable: "sections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "featured_lists",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    section_id = table.Column<Guid>(type: "uuid", nullable: true),
                    max_items = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_featured_lists", x => x.id);
                    table.ForeignKey(
                        name: "fk_featured_lists_sections_section_id",
                        column: x => x.section_id,
                        principalTable: "sections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "article_authors",
                columns: table => new
                {
                    article_id = table.Column<Guid>(type: "uuid", nullable: false),
                    author_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_article_authors", x => new { x.article_id, x.author_id });
                    table.ForeignKey(
                        name: "fk_article_authors_articles_article_id",
                        column: x => x.article_id,
                        principalTable: "articles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_article_authors_authors_author_id",
                        column: x => x.author_id,
                        principalTable: "authors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "article_slugs",
                columns: table => new
                {
                    slug = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    article_id = table.Column<Guid>(type: "uuid", nullable: false),
                    retired_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_article_slugs", x => x.slug);
                    table.ForeignKey(
                        name: "fk_article_slugs_articles_article_id",
                        column: x => x.article_id,
                        principalTable: "articles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "article_tags",
                columns: table => new
                {
                    article_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tag_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_article_tags", x => new { x.article_id, x.tag_id });
                    table.ForeignKey(
                        name: "fk_article_tags_articles_article_id",
                        column: x => x.article_id,
                        principalTable: "articles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_article_tags_tags_tag_id",
                        column: x => x.tag_id,
                        principalTable: "tags",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "topic_articles",
                columns: table => new
                {
                    topic_id = table.Column<Guid>(type: "uuid", nullable: false),
                    article_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_topic_articles", x => new { x.topic_id, x.article_id });
                    table.ForeignKey(
                        name: "fk_topic_articles_articles_article_id",
                        column: x => x.article_id,
                        principalTable: "articles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_topic_articles_topics_topic_id",
                        column: x => x.topic_id,
                        principalTable: "topics",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "featured_list_entries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    list_id = table.Column<Guid>(type: "uuid", nullable: false),
                    article_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    pinned = table.Column<bool>(type: "boolean", nullable: false),
                    featured_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    visible_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    visible_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    removed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_featured_list_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_featured_list_entries_articles_article_id",
                        column: x => x.article_id,
                        principalTable: "articles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_featured_list_entries_featured_lists_list_id",
                        column: x => x.list_id,
                        principalTable: "featured_lists",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_article_authors_author_id_article_id",
                table: "article_authors",
                columns: new[] { "author_id", "article_id" });

            migrationBuilder.CreateIndex(
                name: "ix_article_slugs_article_id",
                table: "article_slugs",
                column: "article_id");

            migrationBuilder.CreateIndex(
                name: "ix_article_tags_tag_id_article_id",
                table: "article_tags",
                columns: new[] { "tag_id", "article_id" });

            migrationBuilder.CreateIndex(
                name: "ix_articles_due_embargo",
                table: "articles",
                column: "embargo_until",
                filter: "embargo_until IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_articles_due_publish",
                table: "articles",
                column: "publish_at",
                filter: "status = 'Scheduled'");

            migrationBuilder.CreateIndex(
                name: "ix_articles_due_unpublish",
                table: "articles",
                column: "unpublish_at",
                filter: "unpublish_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_articles_external_id",
                table: "articles",
                column: "external_id",
                unique: true,
                filter: "external_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_articles_public_published",
                table: "articles",
                columns: new[] { "published_at", "id" },
                descending: new bool[0],
                filter: "status = 'Published'");

            migrationBuilder.CreateIndex(
                name: "ix_articles_public_section",
                table: "articles",
                columns: new[] { "section_id", "published_at", "id" },
                descending: new[] { false, true, true },
                filter: "status = 'Published'");

            migrationBuilder.CreateIndex(
                name: "ix_articles_public_updated",
                table: "articles",
                columns: new[] { "updated_at", "id" },
                descending: new bool[0],
                filter: "status = 'Published'");

            migrationBuilder.CreateIndex(
                name: "ix_articles_slug",
                table: "articles",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_authors_slug",
                table: "authors",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_featured_list_entries_article_id",
                table: "featured_list_entries",
                column: "article_id");

            migrationBuilder.CreateIndex(
                name: "ix_featured_list_entries_list_id_pinned_position",
                table: "featured_list_entries",
                columns: new[] { "list_id", "pinned", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_featured_list_entries_visible_until",
                table: "featured_list_entries",
                column: "visible_until",
                filter: "visible_until IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_featured_lists_section_id",
                table: "featured_lists",
                column: "section_id");

            migrationBuilder.CreateIndex(
                name: "ix_featured_lists_slug",
                table: "featured_lists",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sections_parent_id_position",
                table: "sections",
                columns: new[] { "parent_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_sections_slug",
                table: "sections",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tags_slug",
                table: "tags",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_topic_articles_article_id",
                table: "topic_articles",
                column: "article_id");

            migrationBuilder.CreateIndex(
                name: "ix_topic_articles_topic_id_position_article_id",
                table: "topic_articles",
                columns: new[] { "topic_id", "position", "article_id" });

            migrationBuilder.CreateIndex(
                name: "ix_topics_slug",
                table: "topics",
                column: "slug",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "article_authors");

            migrationBuilder.DropTable(
                name: "article_slugs");

            migrationBuilder.DropTable(
                name: "article_tags");

            migrationBuilder.DropTable(
                name: "featured_list_entries");

            migrationBuilder.DropTable(
                name: "topic_articles");

            migrationBuilder.DropTable(
                name: "authors");

            migrationBuilder.DropTable(
                name: "tags");

            migrationBuilder.DropTable(
                name: "featured_lists");

            migrationBuilder.DropTable(
                name: "articles");

            migrationBuilder.DropTable(
                name: "topics");

            migrationBuilder.DropTable(
                name: "sections");
        }
    }
}
