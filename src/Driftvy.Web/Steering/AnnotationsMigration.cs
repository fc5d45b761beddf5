using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Steering;

/// <summary>Notes on a day or time span ("Skolplattformen nere 08–11"), shown on charts and in reports.</summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611220302_Annotations")]
public sealed class AnnotationsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "annotations",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                subject = table.Column<string>(maxLength: 64, nullable: true),
                starts_at_ms = table.Column<long>(nullable: false),
                ends_at_ms = table.Column<long>(nullable: true),
                text = table.Column<string>(maxLength: 500, nullable: false),
                created_at_ms = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_annotations", x => x.id));

        migrationBuilder.CreateIndex("ix_annotations_starts", "annotations", "starts_at_ms");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("annotations");
}
