using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>Caller numbers kept only as a keyed hash and a masked form (for call-back lists).</summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611220002_CallerColumns")]
public sealed class CallerColumnsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("caller_hash", "contacts", maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<string>("caller_masked", "contacts", maxLength: 32, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("caller_hash", "contacts");
        migrationBuilder.DropColumn("caller_masked", "contacts");
    }
}
