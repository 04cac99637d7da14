using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class SearchMonths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A published search row carries its month of publication as one more lexeme, so the GIN index can answer
            // "these pairs, published in the last months" without visiting every match (Decisions/0006-search.md).
            // SearchSql's recent_months spells the same lexeme; the tokenizer never yields one (it splits at the colon).
            // BEFORE triggers fire in name order: this one after visibility, which sets published_at.
            // ENABLE ALWAYS: a bulk load that turns the visibility trigger off (replica role) still gets the month.
            migrationBuilder.Sql("""
                CREATE FUNCTION article_search_documents_month() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND OLD.published_at IS NOT NULL THEN
                        NEW.document := ts_delete(NEW.document, 'month:' || to_char(OLD.published_at AT TIME ZONE 'UTC', 'YYYY-MM'));
                    END IF;
                    IF NEW.published_at IS NOT NULL THEN
                        NEW.document := NEW.document
                            || array_to_tsvector(ARRAY['month:' || to_char(NEW.published_at AT TIME ZONE 'UTC', 'YYYY-MM')]);
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER visibility_month BEFORE INSERT OR UPDATE OF document, published_at ON article_search_documents
                    FOR EACH ROW EXECUTE FUNCTION article_search_documents_month();
                ALTER TABLE article_search_documents ENABLE ALWAYS TRIGGER visibility_month;

                UPDATE article_search_documents SET document = document WHERE published_at IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER visibility_month ON article_search_documents;
                DROP FUNCTION article_search_documents_month();
                UPDATE article_search_documents
                SET document = ts_delete(document, 'month:' || to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM'))
                WHERE published_at IS NOT NULL;
                """);
        }
    }
}
