using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>Frozen tertial reports (the document as JSON, its KPI versions and input checksums), one per year and point.</summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611220401_ReportSnapshots")]
public sealed class ReportSnapshotsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "report_snapshots",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                kind = table.Column<string>(maxLength: 16, nullable: false),
                year = table.Column<int>(nullable: false),
                period = table.Column<string>(maxLength: 8, nullable: false),
                frozen_at_ms = table.Column<long>(nullable: false),
                kpi_versions = table.Column<string>(nullable: false),
                input_checksums = table.Column<string>(nullable: false),
                document = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_report_snapshots", x => x.id));

        migrationBuilder.CreateIndex("ux_report_snapshots_kind_year_period", "report_snapshots", ["kind", "year", "period"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("report_snapshots");
}
