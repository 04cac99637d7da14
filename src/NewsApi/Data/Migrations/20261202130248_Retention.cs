using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace NewsApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "webhook_delivery_attempts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    delivery_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    duration_ms = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_delivery_attempts", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_delivery_attempts_webhook_deliveries_delivery_id",
                        column: x => x.delivery_id,
                        principalTable: "webhook_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_finished",
                table: "webhook_deliveries",
                column: "last_attempt_at",
                filter: "status <> 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_events_dispatched",
                table: "outbox_events",
                column: "dispatched_at",
                filter: "dispatched_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_cache_invalidations_at",
                table: "cache_invalidations",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_delivery_attempts_delivery_id_number",
                table: "webhook_delivery_attempts",
                columns: new[] { "delivery_id", "number" },
                unique: true);

            // Deliveries made before this table kept only their last attempt: carry that one over, so no log starts empty.
            migrationBuilder.Sql("""
                INSERT INTO webhook_delivery_attempts (delivery_id, number, at, status_code, duration_ms, error)
                SELECT id, attempts, last_attempt_at, last_status_code, coalesce(last_duration_ms, 0), last_error
                FROM webhook_deliveries WHERE last_attempt_at IS NOT NULL AND attempts > 0
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "webhook_delivery_attempts");

            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_finished",
                table: "webhook_deliveries");

            migrationBuilder.DropIndex(
                name: "ix_outbox_events_dispatched",
                table: "outbox_events");

            migrationBuilder.DropIndex(
                name: "ix_cache_invalidations_at",
                table: "cache_invalidations");
        }
    }
}
