using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class SearchWords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The head's fields leave the document (SearchDocument): searches match head || document, so the GIN index
            // is on that. Rows written before still hold the head's words in their document too, which matches the same
            // articles; every article is queued, so the indexer rewrites them without (searches answer meanwhile).
            migrationBuilder.DropIndex(
                name: "ix_article_search_documents_document",
                table: "article_search_documents");
            migrationBuilder.Sql("""
                CREATE INDEX ix_article_search_documents_words ON article_search_documents USING gin ((head || document));
                INSERT INTO search_queue (article_id) SELECT article_id FROM article_search_documents;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The code before this matches the document alone: queued again, each row gets its head's words back.
            migrationBuilder.Sql("""
                DROP INDEX ix_article_search_documents_words;
                INSERT INTO search_queue (article_id) SELECT article_id FROM article_search_documents;
                """);
            migrationBuilder.CreateIndex(
                name: "ix_article_search_documents_document",
                table: "article_search_documents",
                column: "document")
                .Annotation("Npgsql:IndexMethod", "gin");
        }
    }
}
