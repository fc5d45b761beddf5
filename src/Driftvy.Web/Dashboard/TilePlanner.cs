using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Kpis;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// Works out, before anything is read, which figures a board needs: per queue tile its period, the KPI version in
/// force, the service-level KPI of its chart and the wait thresholds its values depend on; per board the queues whose
/// live state is read and the closed days each multi-day window adds to today.
/// </summary>
internal sealed class TilePlanner(KpiSetup kpis)
{
    private const int DefaultShortAbandonSeconds = 5;

    public BoardPlan Plan(BoardDefinition board, DateOnly today)
    {
        var queueTiles = board.Tiles.Where(t => t.IsQueueTile).ToList();
        var plans = queueTiles.ToDictionary(t => t.Id, t => PlanQueueTile(t, today), StringComparer.Ordinal);
        var queues = queueTiles.Select(t => t.Queue!).Distinct(StringComparer.Ordinal).ToList();
        var closedDays = queueTiles
            .Where(t => WindowStart(t.Window, today) is { } from && from < today)
            .GroupBy(t => WindowStart(t.Window, today)!.Value)
            .Select(g => new ClosedDaysNeeded(g.Key, [.. g.Select(t => t.Queue!).Distinct(StringComparer.Ordinal)]))
            .ToList();
        return new BoardPlan(board, today, queueTiles, plans, queues, closedDays);
    }

    /// <summary>The KPI version a tile shows over a period starting on <paramref name="periodStart"/>: the one in force then, else the latest.</summary>
    public KpiVersion VersionFor(string kpi, DateOnly periodStart) => kpis.Catalog.Get(kpi).VersionOn(periodStart) ?? kpis.Catalog.Get(kpi).Latest;

    internal static Period PeriodOf(TileWindow window, DateOnly today) => window switch
    {
        TileWindow.Week => Period.IsoWeekOf(today),
        TileWindow.Month => Period.Month(today.Year, today.Month),
        TileWindow.YearToDate => Period.YearToDate(today),
        _ => Period.Day(today),
    };

    /// <summary>The first day of a window that spans several days; null for windows within today.</summary>
    internal static DateOnly? WindowStart(TileWindow window, DateOnly today) => window switch
    {
        TileWindow.Week => Period.IsoWeekOf(today).Start,
        TileWindow.Month => new DateOnly(today.Year, today.Month, 1),
        TileWindow.YearToDate => new DateOnly(today.Year, 1, 1),
        _ => null,
    };

    internal static bool IsMinuteWindow(TileWindow window) => window is TileWindow.Now or TileWindow.Last60Minutes;

    /// <summary>What a queue tile's KPIs need.</summary>
    private TilePlan PlanQueueTile(TileDefinition def, DateOnly today)
    {
        var queue = def.Queue!;
        var period = PeriodOf(def.Window, today);
        var inForce = kpis.Catalog.Get(def.Kpi).VersionOn(period.Start);
        var version = inForce ?? kpis.Catalog.Get(def.Kpi).Latest;
        var slKpi = version.Kind == FormulaKind.ServiceLevel ? def.Kpi : ServiceLevelKpiFor(queue, today);
        var slVersion = slKpi is null ? null : kpis.Catalog.Get(slKpi).VersionOn(today);
        var slParameters = slVersion?.ParametersFor(queue);
        var shortAbandonSeconds = version.ParametersFor(queue).ShortAbandonSeconds ?? slParameters?.ShortAbandonSeconds ?? DefaultShortAbandonSeconds;
        return new TilePlan(
            period, version, slKpi, slParameters, shortAbandonSeconds, ThresholdsFor(inForce, queue, shortAbandonSeconds), ThresholdsFor(slVersion, queue, null));
    }

    private string? ServiceLevelKpiFor(string queue, DateOnly day) =>
        kpis.Catalog.Kpis.FirstOrDefault(k => k.VersionOn(day) is { Kind: FormulaKind.ServiceLevel } v && v.Population.Queues.Contains(queue))?.Id;

    /// <summary>
    /// The wait thresholds a KPI's value depends on (its X and its short-abandon limit): a tally projected onto them
    /// gives exactly the value the full histograms give. Null (read the full histograms) for a wait percentile.
    /// </summary>
    private static int[]? ThresholdsFor(KpiVersion? version, string queue, int? also)
    {
        if (version is { Kind: not (FormulaKind.ServiceLevel or FormulaKind.AnswerRate or FormulaKind.AbandonmentRate
            or FormulaKind.FirstContactResolution or FormulaKind.Asa or FormulaKind.Aht) })
        {
            return null;
        }

        var p = version?.ParametersFor(queue);
        return [.. new[] { p?.ThresholdSeconds, p?.ShortAbandonSeconds, also }.OfType<int>().Distinct().Order()];
    }
}

/// <summary>What one board needs read on <see cref="Today"/>.</summary>
internal sealed record BoardPlan(
    BoardDefinition Board, DateOnly Today, IReadOnlyList<TileDefinition> QueueTiles, IReadOnlyDictionary<string, TilePlan> Tiles,
    IReadOnlyList<string> Queues, IReadOnlyList<ClosedDaysNeeded> ClosedDays);

/// <summary>The closed days from <see cref="From"/> to yesterday of some queues (a week, month or year-to-date window).</summary>
internal sealed record ClosedDaysNeeded(DateOnly From, IReadOnlyList<string> Queues);

/// <summary>A queue tile's period, KPI version, the service-level KPI of its chart and the thresholds its tallies are read at.</summary>
internal sealed record TilePlan(
    Period Period, KpiVersion Version, string? ServiceLevelKpi, FormulaParameters? ServiceLevelParameters, int ShortAbandonSeconds,
    int[]? WindowThresholds, int[]? ServiceLevelThresholds);
