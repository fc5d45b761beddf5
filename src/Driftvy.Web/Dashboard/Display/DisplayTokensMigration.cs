using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Dashboard.Display;

/// <summary>
/// Display tokens: read-only links that open one board on a TV without a login. Only the SHA-256 of each
/// token is stored, so a copy of the database does not give away working links.
/// </summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611220301_DisplayTokens")]
public sealed class DisplayTokensMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "display_tokens",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                token_hash = table.Column<string>(maxLength: 64, nullable: false),
                board_id = table.Column<string>(maxLength: 64, nullable: false),
                label = table.Column<string>(maxLength: 200, nullable: true),
                created_at_ms = table.Column<long>(nullable: false),
                last_used_at_ms = table.Column<long>(nullable: true),
                revoked_at_ms = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_display_tokens", x => x.id));

        migrationBuilder.CreateIndex("ux_display_tokens_hash", "display_tokens", "token_hash", unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("display_tokens");
}
