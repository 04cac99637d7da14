using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <summary>
    /// Each invalidation names the instance that wrote it (which skips it when it comes back), and the transaction that
    /// wrote it (xid8): the table is read below the commit horizon, as the sync log is (Changes/InvalidationListener).
    /// The xid is not in the model: the server fills it, and only that raw read uses it.
    /// </summary>
    public partial class InvalidationOrigin : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "origin",
                table: "cache_invalidations",
                type: "uuid",
                nullable: true);

            migrationBuilder.Sql("""
                ALTER TABLE cache_invalidations ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
                CREATE INDEX ix_cache_invalidations_xid ON cache_invalidations (xid);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE cache_invalidations DROP COLUMN xid;");

            migrationBuilder.DropColumn(
                name: "origin",
                table: "cache_invalidations");
        }
    }
}
