using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>
/// Contacts the folds could not take (see <see cref="ContactQuarantine"/>): moved out of <c>contacts</c> with their
/// sequence number, the reason and when, so one bad fact never stops the aggregates and an admin can see it.
/// </summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611301430_ContactQuarantine")]
public sealed class ContactQuarantineMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "quarantined_contacts",
            columns: table => new
            {
                seq = table.Column<long>(nullable: false),
                contact_id = table.Column<string>(maxLength: 128, nullable: false),
                source = table.Column<string>(maxLength: 64, nullable: false),
                channel = table.Column<int>(nullable: false),
                queue = table.Column<string>(maxLength: 64, nullable: false),
                offered_at_ms = table.Column<long>(nullable: false),
                answered_at_ms = table.Column<long>(nullable: true),
                abandoned_at_ms = table.Column<long>(nullable: true),
                ended_at_ms = table.Column<long>(nullable: true),
                resolved_first_contact = table.Column<bool>(nullable: true),
                received_at_ms = table.Column<long>(nullable: false),
                stage = table.Column<string>(maxLength: 16, nullable: false),
                reason = table.Column<string>(maxLength: 400, nullable: false),
                quarantined_at_ms = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_quarantined_contacts", x => x.seq));
        migrationBuilder.CreateIndex("ix_quarantined_contacts_at", "quarantined_contacts", "quarantined_at_ms");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("quarantined_contacts");
}
