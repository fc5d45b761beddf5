using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>
/// A security stamp per account: sessions carry it and end when it changes. Accounts from before get an empty
/// stamp, which no session carries, so their old cookies end and the next sign-in gives them one.
/// </summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611300201_SessionStamp")]
public sealed class SessionStampMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>("security_stamp", "users", maxLength: 64, nullable: false, defaultValue: "");

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn("security_stamp", "users");
}
