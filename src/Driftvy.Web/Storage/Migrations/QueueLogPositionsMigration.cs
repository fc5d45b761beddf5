using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Storage.Migrations;

/// <summary>Where each queue_log source was read up to, with the calls it left open (see <see cref="Sources.QueueLog.QueueLogPosition"/>).</summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611303001_QueueLogPositions")]
public sealed class QueueLogPositionsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "queue_log_positions",
            columns: table => new
            {
                source = table.Column<string>(maxLength: 64, nullable: false),
                state_json = table.Column<string>(nullable: false),
                updated_at_ms = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_queue_log_positions", x => x.source));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("queue_log_positions");
}
