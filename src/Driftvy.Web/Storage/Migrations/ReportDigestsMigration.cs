using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>
/// One row per day whose morning steering digest was claimed and sent, inserted before sending, so the digest goes out
/// once however many instances run the job.
/// </summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202612010102_ReportDigests")]
public sealed class ReportDigestsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "report_digests",
            columns: table => new
            {
                day = table.Column<string>(maxLength: 10, nullable: false),
                claimed_by = table.Column<string>(maxLength: 128, nullable: false),
                claimed_at_ms = table.Column<long>(nullable: false),
                sent_at_ms = table.Column<long>(nullable: true),
                recipients = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_report_digests", x => x.day));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("report_digests");
}
