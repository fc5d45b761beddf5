using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>The alarm log.</summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611220501_AlertLog")]
public sealed class AlertLogMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "alert_log",
            columns: table => new
            {
                id = table.Column<string>(maxLength: 32, nullable: false),
                rule_id = table.Column<string>(maxLength: 128, nullable: false),
                name = table.Column<string>(maxLength: 256, nullable: false),
                severity = table.Column<string>(maxLength: 16, nullable: false),
                queue = table.Column<string>(maxLength: 64, nullable: true),
                team = table.Column<string>(maxLength: 64, nullable: true),
                fired_at_ms = table.Column<long>(nullable: false),
                value = table.Column<double>(nullable: true),
                acknowledged_at_ms = table.Column<long>(nullable: true),
                acknowledged_by = table.Column<string>(maxLength: 128, nullable: true),
                acknowledge_comment = table.Column<string>(maxLength: 1000, nullable: true),
                resolved_at_ms = table.Column<long>(nullable: true),
                refires = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_alert_log", x => x.id));
        migrationBuilder.CreateIndex("ix_alert_log_queue_fired", "alert_log", ["queue", "fired_at_ms"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("alert_log");
}
