using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Kpis;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Steering;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// Assembles a board's snapshot: one read of the live aggregate buckets the board needs (closed days come
/// from <see cref="TallyHistory"/>), each KPI computed by the engine with the definition version in force,
/// and its status against the target derived for the tile's window.
/// </summary>
public sealed class BoardSnapshotService(
    BoardCatalog boards,
    KpiSetup kpis,
    IAggregateStore aggregates,
    AggregateStatus status,
    TallyHistory history,
    IBackOfficeFacts backOffice,
    AnnotationService annotations,
    IOptions<TelephonyOptions> telephony,
    IOptions<DashboardOptions> dashboard,
    TimeProvider time)
{
    private const int DefaultShortAbandonSeconds = 5;

    public async Task<BoardSnapshot?> BuildAsync(string boardId, CancellationToken cancellationToken)
    {
        var board = boards.Find(boardId);
        if (board is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var today = StockholmTime.LocalDate(now);
        var dayStart = StockholmTime.StartOfDayUtc(today);
        var staleAfter = telephony.Value.StaleAfter;
        var ready = status.State == AggregateState.Ready;

        // One read for every live bucket of every queue tile: rolling minutes, today's day bucket, today's quarters.
        var queueTiles = board.Tiles.Where(t => t.IsQueueTile).ToList();
        var keys = new List<BucketKey>();
        var plans = new Dictionary<string, QueuePlan>(StringComparer.Ordinal);
        foreach (var tile in queueTiles)
        {
            var windowFrom = keys.Count;
            keys.AddRange(tile.Window switch
            {
                TileWindow.Now => BucketKey.Range(tile.Queue!, Granularity.Minute, now.AddMinutes(-15), now),
                TileWindow.Last60Minutes => BucketKey.Range(tile.Queue!, Granularity.Minute, now.AddMinutes(-60), now),
                _ => [BucketKey.ForDay(tile.Queue!, today)],
            });
            var windowCount = keys.Count - windowFrom;
            var quarterFrom = keys.Count;
            if (tile.Chart)
            {
                keys.AddRange(BucketKey.Range(tile.Queue!, Granularity.Quarter, dayStart, now));
            }

            plans[tile.Id] = new QueuePlan(windowFrom, windowCount, quarterFrom, keys.Count - quarterFrom);
        }

        var queues = queueTiles.Select(t => t.Queue!).Distinct(StringComparer.Ordinal).ToList();
        var talliesTask = aggregates.ReadTalliesAsync(keys, cancellationToken);
        var snapshotsTask = aggregates.ReadSnapshotsAsync(queues, cancellationToken);
        var notesTask = annotations.TodayAsync(cancellationToken);
        var tallies = await talliesTask.ConfigureAwait(false);
        var liveList = await snapshotsTask.ConfigureAwait(false);
        var notes = await notesTask.ConfigureAwait(false);
        var live = queues.Select((q, i) => (q, s: liveList[i])).ToDictionary(x => x.q, x => x.s, StringComparer.Ordinal);

        // Closed days before today, per window start (week, month, year to date).
        var closedDays = new Dictionary<(string Queue, DateOnly From), ContactTally>();
        foreach (var group in queueTiles.Where(t => WindowStart(t.Window, today) is { } from && from < today).GroupBy(t => WindowStart(t.Window, today)!.Value))
        {
            var groupQueues = group.Select(t => t.Queue!).Distinct(StringComparer.Ordinal).ToList();
            var sums = ready ? await history.DaysAsync(groupQueues, group.Key, today, cancellationToken).ConfigureAwait(false) : null;
            for (var i = 0; i < groupQueues.Count; i++)
            {
                closedDays[(groupQueues[i], group.Key)] = sums?[i] ?? new ContactTally();
            }
        }

        var tiles = new List<BoardTile>(board.Tiles.Count);
        foreach (var def in board.Tiles)
        {
            tiles.Add(def.IsQueueTile
                ? await QueueTileAsync(def, plans[def.Id], keys, tallies, live.GetValueOrDefault(def.Queue!), closedDays, notes, ready, now, today, staleAfter, cancellationToken).ConfigureAwait(false)
                : await TeamTileAsync(def, notes, now, today, cancellationToken).ConfigureAwait(false));
        }

        var pages = board.Pages.Select(p => new PageLayout(p.Title, p.Columns, p.RotationSeconds, [.. p.Tiles.Select(t => t.Id)])).ToList();
        return new BoardSnapshot(board.Id, board.Title, now, ready ? "ready" : "rebuilding", aggregates.Kind, staleAfter.TotalSeconds, pages, tiles);
    }

    private async Task<BoardTile> QueueTileAsync(
        TileDefinition def, QueuePlan plan, List<BucketKey> keys, IReadOnlyList<ContactTally> tallies, QueueSnapshot? live,
        Dictionary<(string, DateOnly), ContactTally> closedDays, IReadOnlyList<AnnotationView> notes, bool ready,
        DateTimeOffset now, DateOnly today, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var queue = def.Queue!;
        var period = PeriodOf(def.Window, today);

        // While rebuilding, figures would be partial: show none rather than wrong ones.
        var window = new ContactTally();
        if (ready)
        {
            for (var i = 0; i < plan.WindowCount; i++)
            {
                window.Merge(tallies[plan.WindowFrom + i]);
            }

            if (WindowStart(def.Window, today) is { } from && closedDays.TryGetValue((queue, from), out var before))
            {
                window.Merge(before);
            }
        }

        var reading = kpis.EvaluateQueue(def.Kpi, queue, period, window);
        var version = kpis.Catalog.Get(def.Kpi).VersionOn(period.Start) ?? kpis.Catalog.Get(def.Kpi).Latest;
        var slKpi = version.Kind == FormulaKind.ServiceLevel ? def.Kpi : ServiceLevelKpiFor(queue, today);
        var slParameters = slKpi is null ? null : kpis.Catalog.Get(slKpi).VersionOn(today)?.ParametersFor(queue);
        var shortAbandonSeconds = version.ParametersFor(queue).ShortAbandonSeconds ?? slParameters?.ShortAbandonSeconds ?? DefaultShortAbandonSeconds;
        var shortAbandoned = window.AbandonedWithin(shortAbandonSeconds);

        IReadOnlyList<IntradayPoint> intraday = [];
        double? intradayTarget = null;
        if (def.Chart && ready)
        {
            var expected = await history.ExpectedAsync(queue, today, cancellationToken).ConfigureAwait(false);
            intraday = Intraday(queue, slKpi, plan, keys, tallies, expected, now, today);
            if (slKpi is not null)
            {
                intradayTarget = TargetOnly(slKpi, Period.Day(today));
            }
        }

        var team = kpis.Organisation.Queue(queue)?.Team;
        return new BoardTile(
            def.Id,
            "queue",
            queue,
            def.Title,
            def.Kpi,
            version.NameSv,
            version.NameEn,
            WindowName(def.Window),
            reading.Value.Value,
            UnitName(version.Unit),
            reading.Status?.Target.Value ?? TargetOnly(def.Kpi, period),
            reading.StatusCode,
            def.Span,
            reading.Value.Provenance,
            reading.Value.NoValueReason,
            live?.Waiting,
            live?.LongestWaitSeconds,
            live?.AgentsAvailable,
            live?.AgentsBusy,
            live?.AgentsAway,
            window.Offered,
            window.Answered,
            window.Abandoned - shortAbandoned,
            shortAbandoned,
            slParameters?.ThresholdSeconds,
            live?.At,
            live is null || now - live.At > staleAfter,
            staleAfter.TotalSeconds,
            intraday,
            intradayTarget,
            [.. notes.Where(n => n.Subject is null || n.Subject == queue || n.Subject == team)]);
    }

    private List<IntradayPoint> Intraday(
        string queue, string? slKpi, QueuePlan plan, List<BucketKey> keys, IReadOnlyList<ContactTally> tallies,
        ExpectedCurve expected, DateTimeOffset now, DateOnly today)
    {
        var day = Period.Day(today);
        var actual = new Dictionary<DateTimeOffset, ContactTally>();
        for (var q = 0; q < plan.QuarterCount; q++)
        {
            actual[keys[plan.QuarterFrom + q].Start] = tallies[plan.QuarterFrom + q];
        }

        var all = BucketKey.Range(queue, Granularity.Quarter, StockholmTime.StartOfDayUtc(today), StockholmTime.StartOfDayUtc(today.AddDays(1)))
            .Select(k =>
            {
                var lt = StockholmTime.LocalDateTime(k.Start);
                double? exp = expected.DaysUsed == 0 ? null : expected.PerQuarter.GetValueOrDefault(new TimeOnly(lt.Hour, lt.Minute));
                var tally = actual.GetValueOrDefault(k.Start);
                double? sl = tally is null || slKpi is null ? null : kpis.EvaluateQueue(slKpi, queue, day, tally).Value.Value;
                return new IntradayPoint(k.Start, k.Start <= now ? tally?.Offered ?? 0 : null, exp, sl);
            })
            .ToList();

        // Show the part of the day where calls came or were expected (and at least up to now), not the empty night.
        var busy = all.Select((p, i) => (p, i)).Where(x => (x.p.Offered ?? 0) > 0 || (x.p.Expected ?? 0) >= 0.5).Select(x => x.i).ToList();
        var current = all.FindLastIndex(p => p.Start <= now);
        var first = busy.Count > 0 ? Math.Min(busy[0], current) : Math.Max(0, current - 8);
        var last = busy.Count > 0 ? Math.Max(busy[^1], current) : current;
        return all.GetRange(first, Math.Max(1, last - first + 1));
    }

    private async Task<BoardTile> TeamTileAsync(TileDefinition def, IReadOnlyList<AnnotationView> notes, DateTimeOffset now, DateOnly today, CancellationToken cancellationToken)
    {
        var team = def.Team!;
        var period = PeriodOf(def.Window, today);
        var version = kpis.Catalog.Get(def.Kpi).VersionOn(period.Start) ?? kpis.Catalog.Get(def.Kpi).Latest;
        var facts = await backOffice.ReadAsync([team], period.Start, period.End, cancellationToken).ConfigureAwait(false);
        KpiReading? reading = null;
        string? reason;
        try
        {
            reading = kpis.WithStatus(
                kpis.Engine.Evaluate(def.Kpi, period, new KpiInputs { Cases = facts.Cases, Volumes = facts.Volumes, Staffing = facts.Staffing }, new KpiScope(Teams: [team])),
                period);
            reason = reading.Value.NoValueReason;
        }
        catch (MissingStaffingException ex)
        {
            reason = ex.Message;
        }

        var staleAfter = dashboard.Value.BackOfficeStaleAfter;
        return new BoardTile(
            def.Id,
            "team",
            team,
            def.Title,
            def.Kpi,
            version.NameSv,
            version.NameEn,
            WindowName(def.Window),
            reading?.Value.Value,
            UnitName(version.Unit),
            reading?.Status?.Target.Value ?? TargetOnly(def.Kpi, period),
            reading?.StatusCode ?? "no-data",
            def.Span,
            reading?.Value.Provenance ?? $"{def.Kpi} v{version.Version}: {version.FormulaEn}",
            reason,
            null,
            null,
            null,
            null,
            null,
            0,
            0,
            0,
            0,
            null,
            facts.AsOf,
            facts.AsOf is not { } asOf || now - asOf > staleAfter,
            staleAfter.TotalSeconds,
            [],
            null,
            [.. notes.Where(n => n.Subject is null || n.Subject == team)]);
    }

    /// <summary>The target derived for a period even when the value is missing (a screen shows the target before the first call).</summary>
    private double? TargetOnly(string kpiId, Period period)
    {
        var version = kpis.Catalog.Get(kpiId).VersionOn(period.Start);
        var target = kpis.Targets.Find(kpiId, period.Start.Year);
        return version is null || target is null ? null : Domain.Targets.TargetEvaluation.Derive(target, version, period).Value;
    }

    private string? ServiceLevelKpiFor(string queue, DateOnly day) =>
        kpis.Catalog.Kpis.FirstOrDefault(k => k.VersionOn(day) is { Kind: FormulaKind.ServiceLevel } v && v.Population.Queues.Contains(queue))?.Id;

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

    internal static string WindowName(TileWindow window) => window switch
    {
        TileWindow.Now => "now",
        TileWindow.Last60Minutes => "last_60_min",
        TileWindow.Today => "today",
        TileWindow.Week => "week",
        TileWindow.Month => "month",
        _ => "ytd",
    };

    internal static string UnitName(KpiUnit unit) => unit switch
    {
        KpiUnit.Percent => "percent",
        KpiUnit.Seconds => "seconds",
        KpiUnit.Count => "count",
        KpiUnit.CountPerFte => "count_per_fte",
        KpiUnit.Days => "days",
        KpiUnit.Index => "index",
        _ => "score",
    };

    private sealed record QueuePlan(int WindowFrom, int WindowCount, int QuarterFrom, int QuarterCount);
}
