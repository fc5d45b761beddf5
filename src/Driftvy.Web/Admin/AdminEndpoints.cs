using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Kpis;
using Driftvy.Web.Alerts;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Kpis;
using Driftvy.Web.Security;
using Driftvy.Web.Sources;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Admin;

public sealed record StaffingEdit(string Month, string Team, decimal Fte);

public sealed record JsonDocumentEdit(string Json);

public sealed record DisabledChange(bool Disabled);

/// <summary>
/// The administration page and its API: targets per year, KPI parameters, FTE per team and month, boards,
/// alert rules, sources, users and tokens. Every change is validated like the seed files, stored with its
/// history and audited with the old and new value.
/// </summary>
internal static class AdminEndpoints
{
    private const string AlertRulesKey = "rules";

    public static WebApplicationBuilder AddAdministration(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName)
            .Validate(AdminOptions.IsValid, "Admin:RefreshEvery must lie between 00:00:01 and 01:00:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AdminSettingStore>();
        builder.Services.AddSingleton<AdminConfiguration>();
        builder.Services.AddHostedService<AdminSettingsRefresher>();
        return builder;
    }

    public static WebApplication MapAdministration(this WebApplication app)
    {
        // The page holds no data (it is public like the other pages); everything it shows comes from the admin API.
        var page = app.Environment.WebRootFileProvider.GetFileInfo("admin.html");
        app.MapGet("/admin", () => page.Exists && page.PhysicalPath is { } path ? Results.File(path, "text/html; charset=utf-8") : Results.NotFound())
            .AllowAnonymous();

        var admin = app.MapGroup("/api/admin").RequireAuthorization(Policies.Admin);
        admin.MapGet("/settings", async (AdminSettingStore store, AdminConfiguration configuration, CancellationToken ct) =>
        {
            var inForce = await store.InForceAsync(ct);
            return new AdminSettingsView(
                configuration.Generation,
                configuration.Problems,
                inForce.Select(s => new AdminSettingInForce(s.Kind, s.Key, DateTimeOffset.FromUnixTimeMilliseconds(s.AtMs), s.Actor)));
        });

        MapTargets(admin);
        MapKpiParameters(admin);
        MapStaffing(admin);
        MapBoards(admin);
        MapAlertRules(admin);

        admin.MapGet("/sources", (SourceHealth health, IOptions<IngestionOptions> ingestion, IOptions<TelephonyOptions> telephony, ITelephonySource telephonySource, TimeProvider time) =>
        {
            var today = StockholmTime.LocalDate(time.GetUtcNow());
            var i = ingestion.Value;
            return new AdminSourcesView(
                new TelephonySourceView(telephonySource.Id, telephony.Value.Enabled, telephony.Value.Kind, telephony.Value.PollInterval.TotalSeconds),
                new DropFolderView(i.DropFolder.Enabled, i.DropFolder.PollInterval.TotalSeconds),
                i.HttpPollers.Select(p => new HttpPollerView(p.Source, p.Enabled, p.Interval.TotalSeconds)),
                i.UnknownUnits.ToString(),
                health.All().Select(s => s.On(today)));
        });

        // Contacts the folds could not take and moved aside (see ContactQuarantine): the newest hundred, and how many in all.
        admin.MapGet("/quarantine", (ContactQuarantine quarantine, CancellationToken ct) => quarantine.ReadAsync(100, ct));

        admin.MapPut("/users/{id:long}/disabled", async (long id, DisabledChange change, UserStore users, ILiveSessions live, AuditLog audit, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            var old = await users.SetDisabledAsync(id, change.Disabled, ct);
            if (old is null)
            {
                return Results.NotFound();
            }

            await live.EndUserAsync(id);

            await audit.RecordAsync(Actor(actor), "update", "user.disabled", old.Value.Username, new { old.Value.Disabled }, new { change.Disabled }, ct);
            return Results.NoContent();
        });
        return app;
    }

    private static void MapTargets(RouteGroupBuilder admin)
    {
        admin.MapGet("/targets", (int? year, KpiSetup kpis, AdminSettingStore store, TimeProvider time) =>
        {
            var y = year ?? StockholmTime.LocalDate(time.GetUtcNow()).Year;
            var on = new DateOnly(y, 12, 31);
            return new AdminTargetsView(
                y,
                kpis.Catalog.Kpis.Select(k => (Kpi: k, Version: k.VersionOn(on) ?? k.Latest)).Select(k =>
                {
                    var target = kpis.Targets.Find(k.Kpi.Id, y);
                    return new AdminKpiTarget(
                        k.Kpi.Id,
                        k.Version.NameSv,
                        k.Version.Unit,
                        k.Version.Direction.ToString(),
                        k.Version.Direction == KpiDirection.Band,
                        target,
                        target is null ? null : target.Source.Document == "admin_settings" ? "admin" : "seed",
                        target is not null && target.Year != y);
                }));
        });

        admin.MapPut("/targets", async (TargetEdit edit, KpiSetup kpis, AdminConfiguration configuration, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(edit.KpiId) || !kpis.Catalog.Contains(edit.KpiId))
            {
                return Invalid("kpiId", $"unknown KPI '{edit.KpiId}'");
            }

            var old = kpis.Targets.Find(edit.KpiId, edit.Year, edit.Scope) is { } t && t.Year == edit.Year ? t : null;
            return await SaveAsync(() => configuration.ChangeAsync(SettingKinds.Target, edit.Key, Serialize(edit), Actor(actor), "target", old, edit, ct));
        });

        admin.MapDelete("/targets/{kpiId}/{year:int}", async (string kpiId, int year, string? scope, KpiSetup kpis, AdminSettingStore store, AdminConfiguration configuration, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            var key = new TargetEdit(kpiId, year, 0, 0, Scope: scope).Key;
            if (await store.FindInForceAsync(SettingKinds.Target, key, ct) is null)
            {
                return Results.NotFound();
            }

            var old = kpis.Targets.Find(kpiId, year, scope);
            await configuration.ChangeAsync(SettingKinds.Target, key, null, Actor(actor), "target", old, null, ct);
            var restored = kpis.Targets.Find(kpiId, year, scope);
            return Results.Ok(new RestoredTarget(restored));
        });
    }

    private static void MapKpiParameters(RouteGroupBuilder admin)
    {
        admin.MapGet("/kpi-parameters", (KpiSetup kpis, TimeProvider time) => new AdminKpiParametersView(
            StockholmTime.LocalDate(time.GetUtcNow()),
            AdminDefinitions.EditableParameters.Select(p => new EditableParameterView(p.Key, p.Value.Min, p.Value.Max)),
            kpis.Catalog.Kpis
                .Where(k => ParametersOf(k.Latest).Count > 0)
                .Select(k => new AdminKpiVersions(
                    k.Id,
                    k.Latest.NameSv,
                    k.Versions.Select(v => new AdminKpiVersion(v.Version, v.EffectiveFrom, v.EffectiveTo, ParametersOf(v), v.BasisNote))))));

        admin.MapPost("/kpi-parameters", async (KpiParameterEdit edit, KpiSetup kpis, AdminConfiguration configuration, TimeProvider time, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(edit.KpiId) || !kpis.Catalog.Contains(edit.KpiId))
            {
                return Invalid("kpiId", $"unknown KPI '{edit.KpiId}'");
            }

            // A parameter change never rewrites history: it is a new version from today or later.
            var today = StockholmTime.LocalDate(time.GetUtcNow());
            if (edit.EffectiveFrom < today)
            {
                return Invalid("effectiveFrom", $"must be today ({today:yyyy-MM-dd}) or later; periods already computed keep their version");
            }

            var old = kpis.Catalog.Get(edit.KpiId).Latest;
            return await SaveAsync(() => configuration.ChangeAsync(
                SettingKinds.KpiParameters, edit.Key, Serialize(edit), Actor(actor), "kpi.parameters",
                new { old.Version, old.EffectiveFrom, Parameters = ParametersOf(old) }, edit, ct));
        });

        admin.MapDelete("/kpi-parameters/{kpiId}/{effectiveFrom}", async (string kpiId, string effectiveFrom, AdminSettingStore store, AdminConfiguration configuration, TimeProvider time, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            if (!DateOnly.TryParseExact(effectiveFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from))
            {
                return Invalid("effectiveFrom", "expected yyyy-MM-dd");
            }

            var key = $"{kpiId}|{from:yyyy-MM-dd}";
            var setting = await store.FindInForceAsync(SettingKinds.KpiParameters, key, ct);
            if (setting is null)
            {
                return Results.NotFound();
            }

            if (from <= StockholmTime.LocalDate(time.GetUtcNow()))
            {
                return Invalid("effectiveFrom", "this version is already in force; change the parameters again from a later date instead");
            }

            await configuration.ChangeAsync(SettingKinds.KpiParameters, key, null, Actor(actor), "kpi.parameters", AdminDefinitions.Read<KpiParameterEdit>(setting), null, ct);
            return Results.NoContent();
        });
    }

    private static void MapStaffing(RouteGroupBuilder admin)
    {
        admin.MapGet("/staffing", async (int? year, KpiSetup kpis, IDbContextFactory<DriftvyDbContext> contexts, TimeProvider time, CancellationToken ct) =>
        {
            var y = year ?? StockholmTime.LocalDate(time.GetUtcNow()).Year;
            await using var db = await contexts.CreateDbContextAsync(ct);
            var rows = await db.Staffing.AsNoTracking().Where(s => s.Year == y).ToListAsync(ct);
            return new AdminStaffingView(
                y,
                kpis.Organisation.Teams.Select(t => new AdminTeamStaffing(
                    t.Id,
                    t.NameSv,
                    Enumerable.Range(1, 12).Select(m => rows.FirstOrDefault(r => r.Team == t.Id && r.Month == m) is { } r
                        ? new AdminMonthFte(m, r.Fte, r.Source) : new AdminMonthFte(m, null, null)))));
        });

        admin.MapPut("/staffing", async (StaffingEdit edit, ImportService imports, IDbContextFactory<DriftvyDbContext> contexts, AuditLog audit, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            // Through the staffing import, so an edit is checked exactly like a file row (month, known team, FTE ≥ 0).
            decimal? old = null;
            if (DateOnly.TryParseExact(edit.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            {
                await using var db = await contexts.CreateDbContextAsync(ct);
                old = await db.Staffing.AsNoTracking().Where(s => s.Year == month.Year && s.Month == month.Month && s.Team == edit.Team)
                    .Select(s => (decimal?)s.Fte).FirstOrDefaultAsync(ct);
            }

            var csv = $"month,team,fte\n{edit.Month},{edit.Team},{edit.Fte.ToString(CultureInfo.InvariantCulture)}\n";
            var result = await imports.ImportAsync(
                new ImportRequest(IngestKind.Staffing, "admin", $"admin:{Actor(actor)}") { Format = TextFormat.Csv, Channel = "admin", Fold = false },
                Encoding.UTF8.GetBytes(csv), null, ct);
            if (!result.Committed)
            {
                return Results.ValidationProblem(result.Errors.GroupBy(e => e.Column ?? "row").ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()));
            }

            if (old == edit.Fte)
            {
                // The same figure again: nothing changed, nothing to audit.
                return Results.Ok(new StaffingEditResult(result.Accepted, result.Updated, result.Duplicates));
            }

            await audit.RecordAsync(Actor(actor), "update", "staffing", $"{edit.Month}/{edit.Team}", old is null ? null : new { Fte = old }, new { edit.Fte }, ct);
            return Results.Ok(new StaffingEditResult(result.Accepted, result.Updated, result.Duplicates));
        });
    }

    private static void MapBoards(RouteGroupBuilder admin)
    {
        admin.MapGet("/boards", (BoardCatalog boards) => boards.All.Select(b => new AdminBoardItem(
            b.Id, b.Title, b.File, boards.Overridden.Contains(b.Id), boards.FindInFiles(b.Id) is not null)));

        admin.MapGet("/boards/{id}", async (string id, BoardCatalog boards, AdminSettingStore store, CancellationToken ct) =>
        {
            var setting = await store.FindInForceAsync(SettingKinds.Board, id, ct);
            if (setting is not null)
            {
                return Results.Ok(new AdminBoardDocument(id, setting.Json, true));
            }

            var file = boards.FindInFiles(id) is { } b && boards.Directory is { } dir ? Path.Combine(dir, b.File) : null;
            return file is not null && File.Exists(file)
                ? Results.Ok(new AdminBoardDocument(id, await File.ReadAllTextAsync(file, ct), false))
                : Results.NotFound();
        });

        admin.MapPut("/boards/{id}", async (string id, JsonDocumentEdit edit, BoardCatalog boards, AdminConfiguration configuration, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(edit.Json))
            {
                return Invalid("json", "the board's JSON is required");
            }

            var old = boards.Find(id);
            return await SaveAsync(() => configuration.ChangeAsync(SettingKinds.Board, id, edit.Json, Actor(actor), "board", old is null ? null : Summary(old), edit.Json, ct));
        });

        admin.MapDelete("/boards/{id}", async (string id, BoardCatalog boards, AdminSettingStore store, AdminConfiguration configuration, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            var setting = await store.FindInForceAsync(SettingKinds.Board, id, ct);
            if (setting is null)
            {
                return Results.NotFound();
            }

            if (boards.FindInFiles(id) is null && id == boards.DefaultBoard)
            {
                return Invalid("id", "the default board cannot be removed");
            }

            await configuration.ChangeAsync(SettingKinds.Board, id, null, Actor(actor), "board", setting.Json, boards.FindInFiles(id) is { } file ? Summary(file) : null, ct);
            return Results.NoContent();
        });
    }

    private static void MapAlertRules(RouteGroupBuilder admin)
    {
        admin.MapGet("/alert-rules", async (AlertRuleSource rules, AdminSettingStore store, CancellationToken ct) =>
        {
            var setting = await store.FindInForceAsync(SettingKinds.AlertRules, AlertRulesKey, ct);
            return new AdminAlertRulesDocument(
                setting?.Json ?? rules.FileJson ?? "{ \"rules\": [], \"channels\": [] }",
                setting is not null,
                rules.FileName,
                rules.Current.Rules.Count);
        });

        admin.MapPut("/alert-rules", async (JsonDocumentEdit edit, AlertRuleSource rules, AdminConfiguration configuration, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(edit.Json))
            {
                return Invalid("json", "the rules' JSON is required");
            }

            var old = rules.Current.Rules.Select(r => r.Id).ToList();
            return await SaveAsync(() => configuration.ChangeAsync(SettingKinds.AlertRules, AlertRulesKey, edit.Json, Actor(actor), "alert-rules", new { Rules = old }, edit.Json, ct));
        });

        admin.MapDelete("/alert-rules", async (AlertRuleSource rules, AdminSettingStore store, AdminConfiguration configuration, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            var setting = await store.FindInForceAsync(SettingKinds.AlertRules, AlertRulesKey, ct);
            if (setting is null)
            {
                return Results.NotFound();
            }

            await configuration.ChangeAsync(SettingKinds.AlertRules, AlertRulesKey, null, Actor(actor), "alert-rules", setting.Json, rules.FileJson, ct);
            return Results.NoContent();
        });
    }

    private static object Summary(BoardDefinition board) =>
        new { board.Id, board.Title, Pages = board.Pages.Select(p => new { p.Title, Tiles = p.Tiles.Count }) };

    private static Dictionary<string, int> ParametersOf(KpiVersion version)
    {
        var p = version.Parameters;
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        if (p.ThresholdSeconds is { } threshold)
        {
            values["threshold_seconds"] = threshold;
        }

        if (p.ShortAbandonSeconds is { } shortAbandon)
        {
            values["short_abandon_seconds"] = shortAbandon;
        }

        if (p.Percentile is { } percentile)
        {
            values["percentile"] = (int)Math.Round(percentile);
        }

        return values;
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, AdminDefinitions.Json);

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static async Task<IResult> SaveAsync(Func<Task<AdminSetting>> change)
    {
        try
        {
            var row = await change();
            return Results.Ok(new AdminSettingSaved(row.Id, row.Kind, row.Key, DateTimeOffset.FromUnixTimeMilliseconds(row.AtMs)));
        }
        catch (AdminValidationException ex)
        {
            return Invalid(ex.Field, ex.Message);
        }
        catch (JsonException ex)
        {
            return Invalid("json", ex.Message);
        }
    }
}
