using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <summary>
    /// The sync API's change log (Sync/SyncLog.cs, Decisions/0016-sync.md), written and read by SQL only: each row
    /// names a public document a transaction may have changed, with that transaction's id. A reader takes rows of
    /// transactions below the oldest one in progress, in (xid, seq) order; retention prunes by at.
    /// </summary>
    public partial class Sync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE sync_changes (
                    seq bigint GENERATED ALWAYS AS IDENTITY,
                    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
                    type text NOT NULL,
                    id uuid NOT NULL,
                    at timestamptz NOT NULL,
                    CONSTRAINT pk_sync_changes PRIMARY KEY (xid, seq));
                CREATE INDEX ix_sync_changes_at ON sync_changes (at);
                CREATE INDEX ix_article_reads_embargo_until ON article_reads (embargo_until) WHERE embargo_until IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE sync_changes; DROP INDEX ix_article_reads_embargo_until;");
        }
    }
}
