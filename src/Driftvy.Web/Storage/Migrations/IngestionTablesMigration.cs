using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>
/// Ingestion: case, volume, staffing and queue-snapshot facts, the import log and audit trail,
/// auto-registered queues/teams, per-source watermarks and push-API keys. Provider-neutral like the
/// contact facts (column types from each provider's mapping of the CLR type).
/// </summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611220101_IngestionTables")]
public sealed class IngestionTablesMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "cases",
            columns: t => new
            {
                case_id = t.Column<string>(maxLength: 128, nullable: false),
                source = t.Column<string>(maxLength: 64, nullable: false),
                team = t.Column<string>(maxLength: 64, nullable: false),
                kind = t.Column<string>(maxLength: 128, nullable: false),
                opened_at_ms = t.Column<long>(nullable: false),
                closed_at_ms = t.Column<long>(nullable: true),
                promised_days = t.Column<int>(nullable: true),
                received_at_ms = t.Column<long>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_cases", x => x.case_id));
        migrationBuilder.CreateIndex("ix_cases_team_opened", "cases", ["team", "opened_at_ms"]);

        migrationBuilder.CreateTable(
            name: "daily_volumes",
            columns: t => new
            {
                date = t.Column<DateOnly>(nullable: false),
                team = t.Column<string>(maxLength: 64, nullable: false),
                kind = t.Column<string>(maxLength: 64, nullable: false),
                count = t.Column<long>(nullable: false),
                source = t.Column<string>(maxLength: 64, nullable: false),
                updated_at_ms = t.Column<long>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_daily_volumes", x => new { x.date, x.team, x.kind }));

        migrationBuilder.CreateTable(
            name: "monthly_staffing",
            columns: t => new
            {
                year = t.Column<int>(nullable: false),
                month = t.Column<int>(nullable: false),
                team = t.Column<string>(maxLength: 64, nullable: false),
                fte = t.Column<decimal>(precision: 9, scale: 3, nullable: false),
                source = t.Column<string>(maxLength: 64, nullable: false),
                updated_at_ms = t.Column<long>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_monthly_staffing", x => new { x.year, x.month, x.team }));

        migrationBuilder.CreateTable(
            name: "queue_snapshots",
            columns: t => new
            {
                queue = t.Column<string>(maxLength: 64, nullable: false),
                at_ms = t.Column<long>(nullable: false),
                waiting = t.Column<int>(nullable: false),
                longest_wait_s = t.Column<int>(nullable: false),
                agents_available = t.Column<int>(nullable: false),
                agents_busy = t.Column<int>(nullable: false),
                agents_away = t.Column<int>(nullable: false),
                source = t.Column<string>(maxLength: 64, nullable: false),
                received_at_ms = t.Column<long>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_queue_snapshots", x => new { x.queue, x.at_ms }));

        migrationBuilder.CreateTable(
            name: "ingest_batches",
            columns: t => new
            {
                id = Identity(t),
                source = t.Column<string>(maxLength: 64, nullable: false),
                kind = t.Column<string>(maxLength: 32, nullable: false),
                origin = t.Column<string>(maxLength: 260, nullable: false),
                content_sha256 = t.Column<string>(maxLength: 64, nullable: false),
                received_at_ms = t.Column<long>(nullable: false),
                rows = t.Column<int>(nullable: false),
                accepted = t.Column<int>(nullable: false),
                updated = t.Column<int>(nullable: false),
                duplicates = t.Column<int>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_ingest_batches", x => x.id));

        migrationBuilder.CreateTable(
            name: "ingest_audit",
            columns: t => new
            {
                id = Identity(t),
                batch_id = t.Column<long>(nullable: false),
                entity = t.Column<string>(maxLength: 32, nullable: false),
                entity_key = t.Column<string>(maxLength: 256, nullable: false),
                old_value = t.Column<string>(nullable: false),
                new_value = t.Column<string>(nullable: false),
                source = t.Column<string>(maxLength: 64, nullable: false),
                changed_at_ms = t.Column<long>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_ingest_audit", x => x.id));

        migrationBuilder.CreateTable(
            name: "registered_units",
            columns: t => new
            {
                unit_kind = t.Column<string>(maxLength: 16, nullable: false),
                unit_id = t.Column<string>(maxLength: 64, nullable: false),
                source = t.Column<string>(maxLength: 64, nullable: false),
                first_seen_at_ms = t.Column<long>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_registered_units", x => new { x.unit_kind, x.unit_id }));

        migrationBuilder.CreateTable(
            name: "source_watermarks",
            columns: t => new
            {
                source = t.Column<string>(maxLength: 64, nullable: false),
                position = t.Column<string>(maxLength: 256, nullable: false),
                updated_at_ms = t.Column<long>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_source_watermarks", x => x.source));

        migrationBuilder.CreateTable(
            name: "api_keys",
            columns: t => new
            {
                id = Identity(t),
                source = t.Column<string>(maxLength: 64, nullable: false),
                key_hash = t.Column<string>(maxLength: 64, nullable: false),
                created_at_ms = t.Column<long>(nullable: false),
                last_used_at_ms = t.Column<long>(nullable: true),
                revoked_at_ms = t.Column<long>(nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_api_keys", x => x.id));
        migrationBuilder.CreateIndex("ux_api_keys_key_hash", "api_keys", "key_hash", unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "api_keys", "source_watermarks", "registered_units", "ingest_audit", "ingest_batches", "queue_snapshots", "monthly_staffing", "daily_volumes", "cases" })
        {
            migrationBuilder.DropTable(table);
        }
    }

    private static Microsoft.EntityFrameworkCore.Migrations.Operations.Builders.OperationBuilder<Microsoft.EntityFrameworkCore.Migrations.Operations.AddColumnOperation> Identity(
        Microsoft.EntityFrameworkCore.Migrations.Operations.Builders.ColumnsBuilder t) =>
        t.Column<long>(nullable: false)
            .Annotation("Sqlite:Autoincrement", true)
            .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
}
