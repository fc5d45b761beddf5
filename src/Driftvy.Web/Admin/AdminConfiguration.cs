using Driftvy.Web.Alerts;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Kpis;
using Driftvy.Web.Security;
using Microsoft.Extensions.Options;
using Driftvy.Web.Infrastructure;

namespace Driftvy.Web.Admin;

/// <summary>Administration settings. Section <c>Admin</c>.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>How often an instance looks for settings changed on another instance (seconds to minutes).</summary>
    public TimeSpan RefreshEvery { get; set; } = TimeSpan.FromSeconds(10);

    internal static bool IsValid(AdminOptions o) => o.RefreshEvery >= TimeSpan.FromSeconds(1) && o.RefreshEvery <= TimeSpan.FromHours(1);
}

/// <summary>
/// Puts administrative settings in force: validates a change against everything else in force, stores it
/// (append-only, so every version stays), audits it with the old and new value, and swaps the targets, KPI
/// catalogue, boards and alert rules in place. Other instances pick the change up on their next refresh.
/// </summary>
public sealed class AdminConfiguration(
    AdminSettingStore store,
    KpiSetup kpis,
    BoardCatalog boards,
    AlertRuleSource alertRules,
    AuditLog audit,
    ILogger<AdminConfiguration> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _applied = -1;
    private volatile IReadOnlyList<string> _problems = [];

    /// <summary>Stored settings that could not be put in force at the last refresh (e.g. a seed file changed under them).</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>The settings generation in force on this instance.</summary>
    public long Generation => Interlocked.Read(ref _applied);

    public void Dispose() => _gate.Dispose();

    /// <summary>Applies the stored settings if any changed since the last time (on this or another instance).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var generation = await store.GenerationAsync(cancellationToken).ConfigureAwait(false);
        if (generation == Generation)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ApplyLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Validates and stores one change (JSON null removes the setting, bringing the seed or file value back),
    /// audits it, and puts it in force. A change that does not validate throws and changes nothing.
    /// </summary>
    public async Task<AdminSetting> ChangeAsync(
        string kind, string key, string? json, string actor, string auditEntity, object? oldValue, object? newValue, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var inForce = await store.InForceAsync(cancellationToken).ConfigureAwait(false);
            var (others, _, _) = Resolve(inForce.Where(s => !(s.Kind == kind && s.Key == key)).ToList());
            if (json is not null)
            {
                // Validates the change together with everything else in force; throws naming the field.
                AdminDefinitions.Build(kpis, boards, [.. others, new AdminSetting { Id = long.MaxValue, Kind = kind, Key = key, Json = json, Actor = actor }]);
            }

            var row = await store.AppendAsync(kind, key, json, actor, cancellationToken).ConfigureAwait(false);
            await audit.RecordAsync(actor, json is null ? "revert" : "update", auditEntity, key, oldValue, newValue, cancellationToken).ConfigureAwait(false);
            await ApplyLockedAsync(cancellationToken).ConfigureAwait(false);
            return row;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ApplyLockedAsync(CancellationToken cancellationToken)
    {
        var generation = await store.GenerationAsync(cancellationToken).ConfigureAwait(false);
        var settings = await store.InForceAsync(cancellationToken).ConfigureAwait(false);
        var (_, state, problems) = Resolve(settings);
        kpis.Replace(state.Catalog, state.Targets);
        boards.SetOverrides(state.Boards);
        alertRules.Replace(state.AlertRules);
        _problems = problems;
        Interlocked.Exchange(ref _applied, generation);
    }

    /// <summary>
    /// The settings that validate together and what they put in force; the others are skipped and reported,
    /// never half-applied.
    /// </summary>
    private (List<AdminSetting> Usable, AdminState State, List<string> Problems) Resolve(IReadOnlyList<AdminSetting> settings)
    {
        var problems = new List<string>();
        try
        {
            return ([.. settings], AdminDefinitions.Build(kpis, boards, settings), problems);
        }
        catch (AdminValidationException)
        {
            // One at a time, oldest first, to find the ones that no longer fit.
        }

        var usable = new List<AdminSetting>();
        var state = AdminDefinitions.Build(kpis, boards, usable);
        foreach (var setting in settings)
        {
            try
            {
                state = AdminDefinitions.Build(kpis, boards, [.. usable, setting]);
                usable.Add(setting);
            }
            catch (Exception ex) when (ex is AdminValidationException or System.Text.Json.JsonException)
            {
                var problem = $"{setting.Kind} '{setting.Key}' (saved by {setting.Actor}) is not in force: {ex.Message}";
                problems.Add(problem);
                logger.LogError("Administrative setting skipped: {Problem}", problem);
            }
        }

        return (usable, state, problems);
    }
}

/// <summary>Applies the stored settings at start-up (after the migrations) and then looks for changes on a timer.</summary>
internal sealed class AdminSettingsRefresher(AdminConfiguration configuration, IOptions<AdminOptions> options, TimeProvider time, ILogger<AdminSettingsRefresher> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryRefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(options.Value.RefreshEvery, time, configuration.RefreshAsync, NotRefreshed, stoppingToken);

    private async Task TryRefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await configuration.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            NotRefreshed(ex);
        }
    }

    // The database is down or not migrated: keep what is in force and try again on the next tick.
    private void NotRefreshed(Exception ex) => logger.LogWarning("Administrative settings not refreshed: {Error}", ex.Message);
}
