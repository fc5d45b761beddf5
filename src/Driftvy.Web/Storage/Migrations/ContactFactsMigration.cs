using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>
/// Contact facts. Migrations are written by hand (the EF design-time package is not obtainable here)
/// and provider-neutral: column types come from each provider's mapping of the CLR type, and the
/// identity annotations of both providers are given (each ignores the other's).
/// </summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611220001_ContactFacts")]
public sealed class ContactFactsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "contacts",
            columns: table => new
            {
                seq = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
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
            },
            constraints: table => table.PrimaryKey("pk_contacts", x => x.seq));

        migrationBuilder.CreateIndex("ux_contacts_contact_id", "contacts", "contact_id", unique: true);
        migrationBuilder.CreateIndex("ix_contacts_queue_offered", "contacts", ["queue", "offered_at_ms"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("contacts");
}
