using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>
/// Each source's last delivery and last error as the whole cluster saw them (table <c>source_status</c>), so the
/// instance judging silence knows of deliveries that reached another instance.
/// </summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611301901_SourceStatus")]
public sealed class SourceStatusMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "source_status",
            columns: table => new
            {
                source = table.Column<string>(maxLength: 128, nullable: false),
                channel = table.Column<string>(maxLength: 32, nullable: false),
                last_success_ms = table.Column<long>(nullable: true),
                last_error_ms = table.Column<long>(nullable: true),
                last_error = table.Column<string>(maxLength: 300, nullable: true),
                latest_record_ms = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_source_status", x => x.source));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("source_status");
}
