using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>
/// Alerts as one system across instances: each rule's state and acknowledgement, each notification under its
/// stable key, and the lease that lets one instance evaluate at a time.
/// </summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611301410_AlertClusterState")]
public sealed class AlertClusterStateMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "alert_states",
            columns: table => new
            {
                rule_id = table.Column<string>(maxLength: 256, nullable: false),
                rule_json = table.Column<string>(nullable: true),
                pending_since_ms = table.Column<long>(nullable: true),
                incident_id = table.Column<string>(maxLength: 32, nullable: true),
                fired_at_ms = table.Column<long>(nullable: true),
                value = table.Column<double>(nullable: true),
                acknowledged_at_ms = table.Column<long>(nullable: true),
                acknowledged_by = table.Column<string>(maxLength: 128, nullable: true),
                acknowledge_comment = table.Column<string>(maxLength: 1000, nullable: true),
                resolved_at_ms = table.Column<long>(nullable: true),
                refires = table.Column<int>(nullable: false),
                last_notified_at_ms = table.Column<long>(nullable: true),
                version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_alert_states", x => x.rule_id));
        migrationBuilder.CreateIndex("ix_alert_states_incident", "alert_states", "incident_id");

        migrationBuilder.CreateTable(
            name: "alert_notifications",
            columns: table => new
            {
                key = table.Column<string>(maxLength: 512, nullable: false),
                incident_id = table.Column<string>(maxLength: 32, nullable: false),
                rule_id = table.Column<string>(maxLength: 256, nullable: false),
                channel = table.Column<string>(maxLength: 128, nullable: false),
                kind = table.Column<string>(maxLength: 16, nullable: false),
                status = table.Column<string>(maxLength: 16, nullable: false),
                created_at_ms = table.Column<long>(nullable: false),
                finished_at_ms = table.Column<long>(nullable: true),
                error = table.Column<string>(maxLength: 300, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_alert_notifications", x => x.key));
        migrationBuilder.CreateIndex("ix_alert_notifications_status_created", "alert_notifications", ["status", "created_at_ms"]);

        migrationBuilder.CreateTable(
            name: "alert_leases",
            columns: table => new
            {
                name = table.Column<string>(maxLength: 64, nullable: false),
                holder = table.Column<string>(maxLength: 128, nullable: false),
                expires_at_ms = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_alert_leases", x => x.name));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("alert_leases");
        migrationBuilder.DropTable("alert_notifications");
        migrationBuilder.DropTable("alert_states");
    }
}
