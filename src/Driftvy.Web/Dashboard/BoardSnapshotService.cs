using System.Collections.Concurrent;
using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Web.History;
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
    Staffing.QueueStaffingService staffing,
    IOptions<TelephonyOptions> telephony,
    IOptions<DashboardOptions> dashboard,
    TimeProvider time)
{
    private const int DefaultShortAbandonSeconds = 5;

    // Today's bucket tallies and chart quarter hours as earlier reads returned them (see ReadFiguresAsync).
    private readonly ConcurrentDictionary<(BucketKey Bucket, string View), CachedTally> _tallies = new();
    private readonly ConcurrentDictionary<(string Queue, string? ServiceLevelKpi), CachedChart> _charts = new();
    private readonly ConcurrentDictionary<(string Queue, string? ServiceLevelKpi), CachedPoints> _points = new();
    private readonly Lock _cacheGate = new();
    private DateOnly _cachedDay;
    private KpiCatalog? _cachedCatalog;
    private long _generation;

    // Builds of a board under way, shared by every screen that joins meanwhile (see JoinAsync).
    private readonly ConcurrentDictionary<string, Task<BoardSnapshot?>> _joins = new(StringComparer.Ordinal);

    /// <summary>
    /// The snapshot a joining screen starts from. Screens that join while a build for the same board is under way wait
    /// for that build instead of starting their own: after a failover a thousand screens reconnect within a second, and
    /// a thousand simultaneous reads of the same buckets would time out on the store and fail the joins.
    /// </summary>
    public Task<BoardSnapshot?> JoinAsync(string boardId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(boardId);
        while (true)
        {
            if (_joins.TryGetValue(boardId, out var running))
            {
                return running.WaitAsync(cancellationToken);
            }

            // Not tied to the first screen's connection: if it goes away, the others still want the snapshot.
            var started = new TaskCompletionSource<BoardSnapshot?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_joins.TryAdd(boardId, started.Task))
            {
                continue;
            }

            _ = Task.Run(() => BuildForJoinAsync(boardId, started), CancellationToken.None);
            return started.Task.WaitAsync(cancellationToken);
        }
    }

    private async Task BuildForJoinAsync(string boardId, TaskCompletionSource<BoardSnapshot?> result)
    {
        try
        {
            result.SetResult(await BuildAsync(boardId, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            result.SetException(ex);
        }
        finally
        {
            _joins.TryRemove(KeyValuePair.Create(boardId, result.Task));
        }
    }

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

        // One read for every live bucket of every queue tile, with the notes and live states alongside.
        var queueTiles = board.Tiles.Where(t => t.IsQueueTile).ToList();
        var plans = queueTiles.ToDictionary(t => t.Id, t => Plan(t, today), StringComparer.Ordinal);
        var queues = queueTiles.Select(t => t.Queue!).Distinct(StringComparer.Ordinal).ToList();
        var snapshotsTask = aggregates.ReadSnapshotsAsync(queues, cancellationToken);
        var notesTask = annotations.TodayAsync(cancellationToken);
        var figures = ready
            ? await ReadFiguresAsync(queueTiles, plans, now, today, cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, TileFigures>(StringComparer.Ordinal);
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
            tiles.Add(def.Staffing
                ? await StaffingTileAsync(def, notes, ready, now, today, staleAfter, cancellationToken).ConfigureAwait(false)
                : def.IsQueueTile
                ? await QueueTileAsync(def, plans[def.Id], figures.GetValueOrDefault(def.Id), live.GetValueOrDefault(def.Queue!), closedDays, notes, ready, now, today, staleAfter, cancellationToken).ConfigureAwait(false)
                : await TeamTileAsync(def, notes, now, today, cancellationToken).ConfigureAwait(false));
        }

        var pages = board.Pages.Select(p => new PageLayout(p.Title, p.TitleEn, p.Columns, p.RotationSeconds, [.. p.Tiles.Select(t => t.Id)])).ToList();
        return new BoardSnapshot(board.Id, board.Title, board.TitleEn, now, ready ? "ready" : "rebuilding", aggregates.Kind, staleAfter.TotalSeconds, pages, tiles);
    }

    private async Task<BoardTile> QueueTileAsync(
        TileDefinition def, TilePlan plan, TileFigures? figures, QueueSnapshot? live,
        Dictionary<(string, DateOnly), ContactTally> closedDays, IReadOnlyList<AnnotationView> notes, bool ready,
        DateTimeOffset now, DateOnly today, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var queue = def.Queue!;
        var period = plan.Period;

        // While rebuilding, figures would be partial: show none rather than wrong ones.
        var window = new ContactTally();
        if (ready && figures is not null)
        {
            window.Merge(figures.Window);
            if (WindowStart(def.Window, today) is { } from && closedDays.TryGetValue((queue, from), out var before))
            {
                window.Merge(before);
            }
        }

        var reading = kpis.EvaluateQueue(def.Kpi, queue, period, window);
        var version = plan.Version;
        var slKpi = plan.ServiceLevelKpi;
        var slParameters = plan.ServiceLevelParameters;
        var shortAbandoned = window.AbandonedWithin(plan.ShortAbandonSeconds);

        IReadOnlyList<IntradayPoint> intraday = [];
        double? intradayTarget = null;
        if (def.Chart && ready && figures?.Chart is { } chart)
        {
            var expected = await history.ExpectedAsync(queue, today, cancellationToken).ConfigureAwait(false);
            intraday = IntradayOf(queue, slKpi, chart, expected, now, today);
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
            def.TitleEn,
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

    private static List<IntradayPoint> Intraday(
        string queue, IReadOnlyDictionary<DateTimeOffset, QuarterFigure> actual, ExpectedCurve expected, DateTimeOffset now, DateOnly today)
    {
        var all = BucketKey.Range(queue, Granularity.Quarter, StockholmTime.StartOfDayUtc(today), StockholmTime.StartOfDayUtc(today.AddDays(1)))
            .Select(k =>
            {
                var lt = StockholmTime.LocalDateTime(k.Start);
                double? exp = expected.DaysUsed == 0 ? null : expected.PerQuarter.GetValueOrDefault(new TimeOnly(lt.Hour, lt.Minute));
                var figure = actual.GetValueOrDefault(k.Start);
                return new IntradayPoint(k.Start, k.Start <= now ? figure?.Offered ?? 0 : null, exp, figure?.ServiceLevel);
            })
            .ToList();

        // Show the part of the day where calls came or were expected (and at least up to now), not the empty night.
        var busy = all.Select((p, i) => (p, i)).Where(x => (x.p.Offered ?? 0) > 0 || (x.p.Expected ?? 0) >= 0.5).Select(x => x.i).ToList();
        var current = all.FindLastIndex(p => p.Start <= now);
        var first = busy.Count > 0 ? Math.Min(busy[0], current) : Math.Max(0, current - 8);
        var last = busy.Count > 0 ? Math.Max(busy[^1], current) : current;
        return all.GetRange(first, Math.Max(1, last - first + 1));
    }

    /// <summary>
    /// A staffing tile: agents needed now against agents answering, coloured by the gap (enough: on target; one
    /// short: near; more: off), dated by the queue snapshot so an old snapshot greys the tile out like any stale tile.
    /// </summary>
    private async Task<BoardTile> StaffingTileAsync(
        TileDefinition def, IReadOnlyList<AnnotationView> notes, bool ready, DateTimeOffset now, DateOnly today, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var queue = def.Queue!;
        var version = kpis.Catalog.Get(def.Kpi).VersionOn(today) ?? kpis.Catalog.Get(def.Kpi).Latest;
        var need = ready ? await staffing.NeedAsync(queue, cancellationToken).ConfigureAwait(false) : null;
        var rest = need?.RestOfDay;
        var status = need?.Gap switch
        {
            null => "no-data",
            >= 0 => "on-target",
            -1 => "near-target",
            _ => "off-target",
        };
        var reason = need is null ? null
            : need.NeedNow is null ? need.Windows[0].Reason ?? rest?.Reason
            : need.AgentsAnswering is null ? "no queue snapshot: the agents logged in are not known" : rest?.Reason;
        var figures = need is null ? null : new StaffingTileFigures(
            need.NeedNow, need.AgentsAnswering, need.Gap, need.SnapshotStale, need.Windows[0].CallsPerHour, need.HandleTimeSeconds, need.HandleTimeFrom,
            need.PatienceSeconds, rest?.Model, need.ServiceLevelTarget, need.AnswerWithinSeconds, rest?.Reforecast?.Explanation,
            rest?.Projection?.ProjectedServiceLevel, rest?.Projection?.AgentHoursAsStaffed, rest?.Projection?.AgentHoursNeeded, rest?.Projection?.AgentHoursForDayTarget,
            reason);
        var method = "agents needed for the target within its time: Erlang A with the queue's patience from its abandons (Erlang C without abandons), "
            + "from the last 30 minutes' calls and the expected curve for the quarter hour under way, with today's handle time";
        var team = kpis.Organisation.Queue(queue)?.Team;
        return new BoardTile(
            def.Id, "staffing", queue, def.Title, def.TitleEn, def.Kpi, version.NameSv, version.NameEn, WindowName(TileWindow.Today),
            need?.NeedNow, "count", null, status, def.Span, method, reason,
            null, null, null, null, null, 0, 0, 0, 0, need?.AnswerWithinSeconds,
            need?.SnapshotAt, need?.SnapshotAt is not { } at || now - at > staleAfter, staleAfter.TotalSeconds,
            [], null, [.. notes.Where(n => n.Subject is null || n.Subject == queue || n.Subject == team)], figures);
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
            def.TitleEn,
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

    /// <summary>What a queue tile's KPIs need, worked out before anything is read.</summary>
    private TilePlan Plan(TileDefinition def, DateOnly today)
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

    /// <summary>
    /// Reads every queue tile's window tally and, for charts, today's quarter hours, in one step. What earlier reads
    /// returned is kept, and the store is asked only for what moved: a day tally "unless its offered count is still n"
    /// (see <see cref="TallyQuery"/>), a chart's quarters "unless the day's count is still n, and then only those whose
    /// count moved" (see <see cref="QuarterQuery"/>). So between two folds a refresh reads almost nothing, after a fold
    /// it reads the day and the quarters the fold touched, and a quarter's service level is computed once per change.
    /// A late fact into a closed quarter moves its count and the day's, a rebuild moves the store's generation: either
    /// makes the next read fetch afresh what changed. Everything is read at one moment, so the tiles and charts of a
    /// snapshot always agree.
    /// </summary>
    private async Task<Dictionary<string, TileFigures>> ReadFiguresAsync(
        List<TileDefinition> tiles, Dictionary<string, TilePlan> plans, DateTimeOffset now, DateOnly today, CancellationToken cancellationToken)
    {
        lock (_cacheGate)
        {
            // A new day, or KPI definitions changed by an administrator (a parameter version in force from today):
            // nothing computed before may stand.
            if (_cachedDay != today || !ReferenceEquals(_cachedCatalog, kpis.Catalog))
            {
                _tallies.Clear();
                _charts.Clear();
                _points.Clear();
                _cachedDay = today;
                _cachedCatalog = kpis.Catalog;
            }
        }

        // The second attempt, if any, uses nothing cached: the store was cleared since it was cached.
        for (var afresh = false; ; afresh = true)
        {
            long? generation = afresh ? null : Interlocked.Read(ref _generation);
            var queries = new List<TallyQuery>(tiles.Count);
            var charts = new List<QuarterQuery>();
            var reads = new List<TileRead>(tiles.Count);
            foreach (var tile in tiles)
            {
                var plan = plans[tile.Id];
                var queue = tile.Queue!;
                var day = BucketKey.ForDay(queue, today);
                var view = ViewOf(plan.WindowThresholds);
                CachedTally? cachedWindow = null;
                if (IsMinuteWindow(tile.Window))
                {
                    var minutes = tile.Window == TileWindow.Now ? 15 : 60;
                    queries.Add(new TallyQuery([.. BucketKey.Range(queue, Granularity.Minute, now.AddMinutes(-minutes), now)]) { Thresholds = plan.WindowThresholds });
                }
                else
                {
                    cachedWindow = _tallies.TryGetValue((day, view), out var c) && c.Generation == generation ? c : null;
                    queries.Add(new TallyQuery([day]) { Thresholds = plan.WindowThresholds, UnlessOffered = cachedWindow?.Offered });
                }

                CachedChart? cachedChart = null;
                var chartIndex = -1;
                if (tile.Chart)
                {
                    cachedChart = _charts.TryGetValue((queue, plan.ServiceLevelKpi), out var cc) && cc.Generation == generation ? cc : null;
                    chartIndex = charts.Count;
                    charts.Add(new QuarterQuery(queue, today)
                    {
                        Thresholds = plan.ServiceLevelThresholds,
                        Known = cachedChart?.Offered,
                        UnlessOffered = cachedChart?.DayOffered,
                    });
                }

                reads.Add(new TileRead(tile, plan, day, view, queries.Count - 1, cachedWindow, chartIndex, cachedChart));
            }

            var read = await aggregates.ReadQueriesAsync(queries, charts, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _generation, read.Generation);
            if (generation is { } g && g != read.Generation)
            {
                continue;
            }

            return Collect(reads, read, today);
        }
    }

    private Dictionary<string, TileFigures> Collect(List<TileRead> reads, TallyRead read, DateOnly today)
    {
        var figures = new Dictionary<string, TileFigures>(StringComparer.Ordinal);
        var dayPeriod = Period.Day(today);
        foreach (var r in reads)
        {
            var window = read.Tallies[r.WindowIndex] ?? r.CachedWindow!.Tally;
            if (!IsMinuteWindow(r.Tile.Window) && read.Tallies[r.WindowIndex] is not null)
            {
                _tallies[(r.Day, r.View)] = new CachedTally(read.Generation, window.Offered, window);
            }

            CachedChart? chart = null;
            if (r.ChartIndex >= 0)
            {
                if (read.Charts[r.ChartIndex] is not { } quarters)
                {
                    // The day's count has not moved: neither has any of its quarters.
                    chart = r.CachedChart!;
                }
                else
                {
                    var figuresByStart = new Dictionary<DateTimeOffset, QuarterFigure>(quarters.Offered.Count);
                    foreach (var (start, offered) in quarters.Offered)
                    {
                        figuresByStart[start] = quarters.Tallies.TryGetValue(start, out var tally)
                            ? new QuarterFigure(offered, r.Plan.ServiceLevelKpi is { } sl ? kpis.EvaluateQueue(sl, r.Tile.Queue!, dayPeriod, tally).Value.Value : null)
                            : r.CachedChart!.Quarters[start];
                    }

                    chart = new CachedChart(read.Generation, quarters.DayOffered, quarters.Offered, figuresByStart);
                    _charts[(r.Tile.Queue!, r.Plan.ServiceLevelKpi)] = chart;
                }
            }

            figures[r.Tile.Id] = new TileFigures(window, chart);
        }

        return figures;
    }

    /// <summary>A chart's points, computed again only when its quarter hours, its expected curve or the current quarter changed.</summary>
    private IntradayPoint[] IntradayOf(string queue, string? slKpi, CachedChart chart, ExpectedCurve expected, DateTimeOffset now, DateOnly today)
    {
        var quarter = BucketKey.For(queue, Granularity.Quarter, now).Start;
        if (_points.TryGetValue((queue, slKpi), out var hit) && ReferenceEquals(hit.Chart, chart) && ReferenceEquals(hit.Expected, expected) && hit.Quarter == quarter)
        {
            return hit.Points;
        }

        IntradayPoint[] points = [.. Intraday(queue, chart.Quarters, expected, now, today)];
        _points[(queue, slKpi)] = new CachedPoints(chart, expected, quarter, points);
        return points;
    }

    private static bool IsMinuteWindow(TileWindow window) => window is TileWindow.Now or TileWindow.Last60Minutes;

    private static string ViewOf(int[]? thresholds) => thresholds is null ? "full" : string.Join(',', thresholds);

    private sealed record TilePlan(
        Period Period, KpiVersion Version, string? ServiceLevelKpi, FormulaParameters? ServiceLevelParameters, int ShortAbandonSeconds,
        int[]? WindowThresholds, int[]? ServiceLevelThresholds);

    private sealed record TileRead(
        TileDefinition Tile, TilePlan Plan, BucketKey Day, string View, int WindowIndex, CachedTally? CachedWindow, int ChartIndex, CachedChart? CachedChart);

    /// <summary>A tile's tallies as read: its window (today's part of it) and, with a chart, today's quarter hours so far.</summary>
    private sealed record TileFigures(ContactTally Window, CachedChart? Chart);

    private sealed record CachedPoints(CachedChart Chart, ExpectedCurve Expected, DateTimeOffset Quarter, IntradayPoint[] Points);

    private sealed record QuarterFigure(long Offered, double? ServiceLevel);

    /// <summary>A bucket's tally as some earlier read returned it (never changed after: readers only merge from it).</summary>
    private sealed record CachedTally(long Generation, long Offered, ContactTally Tally);

    /// <summary>A chart's quarter hours as an earlier read returned them: their offered counts (what the next read is asked against) and figures.</summary>
    private sealed record CachedChart(long Generation, long DayOffered, IReadOnlyDictionary<DateTimeOffset, long> Offered, IReadOnlyDictionary<DateTimeOffset, QuarterFigure> Quarters);
}
