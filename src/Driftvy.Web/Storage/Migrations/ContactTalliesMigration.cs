using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>
/// Durable contact tallies per queue and Stockholm day or quarter hour (see <c>History/</c>). A database that already
/// holds facts gets its tallies derived from them at the first start after this migration.
/// </summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611300001_ContactTallies")]
public sealed class ContactTalliesMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "contact_tallies",
            columns: table => new
            {
                span = table.Column<int>(nullable: false),
                queue = table.Column<string>(maxLength: 64, nullable: false),
                start_ms = table.Column<long>(nullable: false),
                tally = table.Column<byte[]>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_contact_tallies", x => new { x.span, x.queue, x.start_ms }));

        // A report reads one span's rows over a range of days for every queue.
        migrationBuilder.CreateIndex("ix_contact_tallies_span_start", "contact_tallies", ["span", "start_ms"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("contact_tallies");
}
