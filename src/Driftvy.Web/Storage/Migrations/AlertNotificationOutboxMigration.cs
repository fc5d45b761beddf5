using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>
/// Notifications as an outbox: what to send is stored with the key, and the instance sending it holds a claim until a
/// set moment; a notification still pending when its claim ran out (its instance died mid-delivery) is claimed and sent
/// by another, under the same key.
/// </summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611301900_AlertNotificationOutbox")]
public sealed class AlertNotificationOutboxMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "payload", table: "alert_notifications", nullable: true);
        migrationBuilder.AddColumn<string>(name: "claimed_by", table: "alert_notifications", maxLength: 128, nullable: true);
        migrationBuilder.AddColumn<long>(name: "claimed_until_ms", table: "alert_notifications", nullable: true);
        migrationBuilder.AddColumn<int>(name: "claims", table: "alert_notifications", nullable: false, defaultValue: 0);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "payload", table: "alert_notifications");
        migrationBuilder.DropColumn(name: "claimed_by", table: "alert_notifications");
        migrationBuilder.DropColumn(name: "claimed_until_ms", table: "alert_notifications");
        migrationBuilder.DropColumn(name: "claims", table: "alert_notifications");
    }
}
