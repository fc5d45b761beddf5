using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Driftvy.Web.Admin;

/// <summary>
/// One version of an administrative setting (a target, a KPI parameter change, a board, the alert rules).
/// Rows are only ever appended: the newest row of a (kind, key) is in force, a row without JSON removes the
/// setting, and the older rows are its history.
/// </summary>
public sealed class AdminSetting
{
    public long Id { get; set; }

    public required string Kind { get; set; }

    public required string Key { get; set; }

    /// <summary>The setting as JSON; null when the setting was removed (the seed or file value is back in force).</summary>
    public string? Json { get; set; }

    public long AtMs { get; set; }

    public required string Actor { get; set; }

    internal static void Configure(ModelBuilder modelBuilder)
    {
        var s = modelBuilder.Entity<AdminSetting>();
        s.ToTable("admin_settings");
        s.HasKey(x => x.Id);
        s.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
        s.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(32);
        s.Property(x => x.Key).HasColumnName("key").HasMaxLength(256);
        s.Property(x => x.Json).HasColumnName("json");
        s.Property(x => x.AtMs).HasColumnName("at_ms");
        s.Property(x => x.Actor).HasColumnName("actor").HasMaxLength(128);
        s.HasIndex(x => new { x.Kind, x.Key }).HasDatabaseName("ix_admin_settings_kind_key");
    }
}

/// <summary>The kinds of administrative setting.</summary>
public static class SettingKinds
{
    public const string Target = "target";
    public const string KpiParameters = "kpi-parameters";
    public const string Board = "board";
    public const string AlertRules = "alert-rules";
}

/// <summary>Administrative settings, versioned by appending.</summary>
[DbContext(typeof(DriftvyDbContext))]
[Migration("202611220801_AdminSettings")]
public sealed class AdminSettingsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "admin_settings",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                kind = table.Column<string>(maxLength: 32, nullable: false),
                key = table.Column<string>(maxLength: 256, nullable: false),
                json = table.Column<string>(nullable: true),
                at_ms = table.Column<long>(nullable: false),
                actor = table.Column<string>(maxLength: 128, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_admin_settings", x => x.id));
        migrationBuilder.CreateIndex("ix_admin_settings_kind_key", "admin_settings", ["kind", "key"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("admin_settings");
}

/// <summary>Reads and appends administrative settings.</summary>
public sealed class AdminSettingStore(IDbContextFactory<DriftvyDbContext> contexts, TimeProvider time)
{
    /// <summary>The settings in force: the newest row of every (kind, key) that was not removed, oldest first.</summary>
    public async Task<IReadOnlyList<AdminSetting>> InForceAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.AdminSettings.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.GroupBy(r => (r.Kind, r.Key)).Select(g => g.Last()).Where(r => r.Json is not null).OrderBy(r => r.Id)];
    }

    /// <summary>The one setting in force for (kind, key), or null when there is none or it was removed.</summary>
    public async Task<AdminSetting?> FindInForceAsync(string kind, string key, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var newest = await db.AdminSettings.AsNoTracking().Where(s => s.Kind == kind && s.Key == key).OrderByDescending(s => s.Id)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return newest?.Json is null ? null : newest;
    }

    /// <summary>Changes whenever any setting is appended (the newest row id; 0 when there is none).</summary>
    public async Task<long> GenerationAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.AdminSettings.MaxAsync(s => (long?)s.Id, cancellationToken).ConfigureAwait(false) ?? 0;
    }

    /// <summary>Every version of one setting, newest first.</summary>
    public async Task<IReadOnlyList<AdminSetting>> HistoryAsync(string kind, string key, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.AdminSettings.AsNoTracking().Where(s => s.Kind == kind && s.Key == key).OrderByDescending(s => s.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<AdminSetting> AppendAsync(string kind, string key, string? json, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = new AdminSetting { Kind = kind, Key = key, Json = json, Actor = actor, AtMs = time.GetUtcNow().ToUnixTimeMilliseconds() };
        db.AdminSettings.Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return row;
    }
}
