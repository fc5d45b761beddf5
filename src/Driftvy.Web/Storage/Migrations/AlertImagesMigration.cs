using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>
/// The pictures alert notifications carry, one row per event (shared by its channels), written with the notifications
/// that decided them: the e-mail embeds the bytes, the Teams card links to them under a signed, expiring address.
/// </summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202612010101_AlertImages")]
public sealed class AlertImagesMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "alert_images",
            columns: table => new
            {
                id = table.Column<string>(maxLength: 64, nullable: false),
                incident_id = table.Column<string>(maxLength: 32, nullable: false),
                png = table.Column<byte[]>(nullable: false),
                created_at_ms = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_alert_images", x => x.id));

        migrationBuilder.CreateIndex("ix_alert_images_created", "alert_images", "created_at_ms");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("alert_images");
}
