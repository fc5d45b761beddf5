using Driftvy.Domain.Contacts;
using Driftvy.Domain.Periods;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.History;
using Driftvy.Web.Kpis;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Staffing;
using Driftvy.Web.Steering;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// Reads what a board's plan asks for: the live aggregate buckets of every queue tile in one read (closed days come
/// from <see cref="TallyHistory"/>), the queues' live states, today's notes, and per tile the expected curve, the
/// staffing need or the back-office facts.
/// </summary>
internal sealed class BoardFigureReader(
    IAggregateStore aggregates,
    TallyHistory history,
    IBackOfficeFacts backOffice,
    AnnotationService annotations,
    QueueStaffingService staffing,
    KpiSetup kpis,
    SnapshotFigureCache cache)
{
    /// <summary>Everything the queue tiles share: their figures (none while the aggregates are rebuilt), live states, closed days and notes.</summary>
    public async Task<BoardReading> ReadAsync(BoardPlan plan, bool ready, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var snapshotsTask = aggregates.ReadSnapshotsAsync(plan.Queues, cancellationToken);
        var notesTask = annotations.TodayAsync(cancellationToken);
        var (figures, cacheable, reused) = ready
            ? await ReadFiguresAsync(plan, now, cancellationToken).ConfigureAwait(false)
            : (new Dictionary<string, TileFigures>(StringComparer.Ordinal), 0, 0);
        var liveList = await snapshotsTask.ConfigureAwait(false);
        var notes = await notesTask.ConfigureAwait(false);
        var live = plan.Queues.Select((q, i) => (q, s: liveList[i])).ToDictionary(x => x.q, x => x.s, StringComparer.Ordinal);

        // Closed days before today, per window start (week, month, year to date).
        var closedDays = new Dictionary<(string Queue, DateOnly From), ContactTally>();
        foreach (var needed in plan.ClosedDays)
        {
            var sums = ready ? await history.DaysAsync(needed.Queues, needed.From, plan.Today, cancellationToken).ConfigureAwait(false) : null;
            for (var i = 0; i < needed.Queues.Count; i++)
            {
                closedDays[(needed.Queues[i], needed.From)] = sums?[i] ?? new ContactTally();
            }
        }

        return new BoardReading(figures, live, closedDays, notes, cacheable, reused);
    }

    public Task<ExpectedCurve> ExpectedAsync(string queue, DateOnly today, CancellationToken cancellationToken) =>
        history.ExpectedAsync(queue, today, cancellationToken);

    public Task<QueueStaffingNeed?> NeedAsync(string queue, CancellationToken cancellationToken) => staffing.NeedAsync(queue, cancellationToken);

    public Task<BackOfficeFactSet> BackOfficeAsync(string team, Period period, CancellationToken cancellationToken) =>
        backOffice.ReadAsync([team], period.Start, period.End, cancellationToken);

    /// <summary>
    /// Reads every queue tile's window tally and, for charts, today's quarter hours, in one step. What earlier reads
    /// returned is kept, and the store is asked only for what moved: a day tally "unless its offered count is still n"
    /// (see <see cref="TallyQuery"/>), a chart's quarters "unless the day's count is still n, and then only those whose
    /// count moved" (see <see cref="QuarterQuery"/>). So between two folds a refresh reads almost nothing, after a fold
    /// it reads the day and the quarters the fold touched, and a quarter's service level is computed once per change.
    /// A late fact into a closed quarter moves its count and the day's, a rebuild moves the store's generation: either
    /// makes the next read fetch afresh what changed. Everything is read at one moment, so the tiles and charts of a
    /// snapshot always agree. Also returns how many day tallies and charts could come from the cache, and how many did
    /// (the store found them unchanged since they were kept).
    /// </summary>
    private async Task<(Dictionary<string, TileFigures> Figures, int Cacheable, int Reused)> ReadFiguresAsync(BoardPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = plan.Today;
        cache.Reset(today, kpis.Catalog);

        // The second attempt, if any, uses nothing cached: the store was cleared since it was cached.
        for (var afresh = false; ; afresh = true)
        {
            long? generation = afresh ? null : cache.Generation;
            var queries = new List<TallyQuery>(plan.QueueTiles.Count);
            var charts = new List<QuarterQuery>();
            var reads = new List<TileRead>(plan.QueueTiles.Count);
            foreach (var tile in plan.QueueTiles)
            {
                var tilePlan = plan.Tiles[tile.Id];
                var queue = tile.Queue!;
                var day = BucketKey.ForDay(queue, today);
                var view = ViewOf(tilePlan.WindowThresholds);
                CachedTally? cachedWindow = null;
                if (TilePlanner.IsMinuteWindow(tile.Window))
                {
                    var minutes = tile.Window == TileWindow.Now ? 15 : 60;
                    queries.Add(new TallyQuery([.. BucketKey.Range(queue, Granularity.Minute, now.AddMinutes(-minutes), now)]) { Thresholds = tilePlan.WindowThresholds });
                }
                else
                {
                    cachedWindow = cache.Tally(day, view, generation);
                    queries.Add(new TallyQuery([day]) { Thresholds = tilePlan.WindowThresholds, UnlessOffered = cachedWindow?.Offered });
                }

                CachedChart? cachedChart = null;
                var chartIndex = -1;
                if (tile.Chart)
                {
                    cachedChart = cache.Chart(queue, tilePlan.ServiceLevelKpi, generation);
                    chartIndex = charts.Count;
                    charts.Add(new QuarterQuery(queue, today)
                    {
                        Thresholds = tilePlan.ServiceLevelThresholds,
                        Known = cachedChart?.Offered,
                        UnlessOffered = cachedChart?.DayOffered,
                    });
                }

                reads.Add(new TileRead(tile, tilePlan, day, view, queries.Count - 1, cachedWindow, chartIndex, cachedChart));
            }

            var read = await aggregates.ReadQueriesAsync(queries, charts, cancellationToken).ConfigureAwait(false);
            cache.Generation = read.Generation;
            if (generation is { } g && g != read.Generation)
            {
                continue;
            }

            return Collect(reads, read, today);
        }
    }

    private (Dictionary<string, TileFigures> Figures, int Cacheable, int Reused) Collect(List<TileRead> reads, TallyRead read, DateOnly today)
    {
        var figures = new Dictionary<string, TileFigures>(StringComparer.Ordinal);
        var reused = 0;
        var cacheable = reads.Count(r => !TilePlanner.IsMinuteWindow(r.Tile.Window)) + reads.Count(r => r.ChartIndex >= 0);
        var dayPeriod = Period.Day(today);
        foreach (var r in reads)
        {
            var window = read.Tallies[r.WindowIndex] ?? r.CachedWindow!.Tally;
            if (read.Tallies[r.WindowIndex] is null)
            {
                reused++;
            }
            else if (!TilePlanner.IsMinuteWindow(r.Tile.Window))
            {
                cache.Keep(r.Day, r.View, new CachedTally(read.Generation, window.Offered, window));
            }

            CachedChart? chart = null;
            if (r.ChartIndex >= 0)
            {
                if (read.Charts[r.ChartIndex] is not { } quarters)
                {
                    // The day's count has not moved: neither has any of its quarters.
                    chart = r.CachedChart!;
                    reused++;
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
                    cache.Keep(r.Tile.Queue!, r.Plan.ServiceLevelKpi, chart);
                }
            }

            figures[r.Tile.Id] = new TileFigures(window, chart);
        }

        return (figures, cacheable, reused);
    }

    private static string ViewOf(int[]? thresholds) => thresholds is null ? "full" : string.Join(',', thresholds);

    private sealed record TileRead(
        TileDefinition Tile, TilePlan Plan, BucketKey Day, string View, int WindowIndex, CachedTally? CachedWindow, int ChartIndex, CachedChart? CachedChart);
}

/// <summary>
/// What a board's queue tiles read together. <see cref="Cacheable"/>: the day tallies and charts a cache could serve;
/// <see cref="Reused"/>: those the store found unchanged since they were kept.
/// </summary>
internal sealed record BoardReading(
    IReadOnlyDictionary<string, TileFigures> Figures,
    IReadOnlyDictionary<string, QueueSnapshot?> Live,
    IReadOnlyDictionary<(string Queue, DateOnly From), ContactTally> ClosedDays,
    IReadOnlyList<AnnotationView> Notes,
    int Cacheable,
    int Reused);

/// <summary>A tile's tallies as read: its window (today's part of it) and, with a chart, today's quarter hours so far.</summary>
internal sealed record TileFigures(ContactTally Window, CachedChart? Chart);
