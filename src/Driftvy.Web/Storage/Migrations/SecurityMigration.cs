using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>Local accounts and the audit of administrative changes.</summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611220601_Security")]
public sealed class SecurityMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "users",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                username = table.Column<string>(maxLength: 128, nullable: false),
                password_hash = table.Column<string>(maxLength: 256, nullable: false),
                role = table.Column<string>(maxLength: 32, nullable: false),
                scope = table.Column<string>(maxLength: 512, nullable: false),
                failed_sign_ins = table.Column<int>(nullable: false),
                locked_until_ms = table.Column<long>(nullable: true),
                created_at_ms = table.Column<long>(nullable: false),
                disabled = table.Column<bool>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_users", x => x.id));
        migrationBuilder.CreateIndex("ux_users_username", "users", "username", unique: true);

        migrationBuilder.CreateTable(
            name: "audit",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                at_ms = table.Column<long>(nullable: false),
                actor = table.Column<string>(maxLength: 128, nullable: false),
                action = table.Column<string>(maxLength: 64, nullable: false),
                entity = table.Column<string>(maxLength: 64, nullable: false),
                entity_id = table.Column<string>(maxLength: 256, nullable: true),
                old_value = table.Column<string>(nullable: true),
                new_value = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_audit", x => x.id));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("audit");
        migrationBuilder.DropTable("users");
    }
}
