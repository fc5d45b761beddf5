using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>
/// The rendered bytes of a frozen report, one row per export format, so a fixed report is served as it was written rather
/// than re-rendered. Reports frozen before this migration have no rows and are still rendered from their document.
/// </summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611302001_ReportSnapshotFiles")]
public sealed class ReportSnapshotFilesMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "report_snapshot_files",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                snapshot_id = table.Column<long>(nullable: false),
                format = table.Column<string>(maxLength: 8, nullable: false),
                content = table.Column<byte[]>(nullable: false),
                sha256 = table.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_report_snapshot_files", x => x.id);
                table.ForeignKey("fk_report_snapshot_files_snapshot", x => x.snapshot_id, "report_snapshots", "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex("ux_report_snapshot_files_snapshot_format", "report_snapshot_files", ["snapshot_id", "format"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("report_snapshot_files");
}
