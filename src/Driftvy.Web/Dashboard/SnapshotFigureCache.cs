using System.Collections.Concurrent;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Web.Aggregates;
using Driftvy.Web.History;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// Today's bucket tallies and chart quarter hours as earlier reads returned them, and the chart points computed from
/// them, so that the next read asks the store only for what moved (see <see cref="BoardFigureReader"/>). Everything is
/// dropped on a new day or when the KPI definitions change; an entry read under another store generation is never used.
/// </summary>
internal sealed class SnapshotFigureCache
{
    private readonly ConcurrentDictionary<(BucketKey Bucket, string View), CachedTally> _tallies = new();
    private readonly ConcurrentDictionary<(string Queue, string? ServiceLevelKpi), CachedChart> _charts = new();
    private readonly ConcurrentDictionary<(string Queue, string? ServiceLevelKpi), CachedPoints> _points = new();
    private readonly Lock _gate = new();
    private DateOnly _day;
    private KpiCatalog? _catalog;
    private long _generation;

    /// <summary>The store generation the last read saw.</summary>
    public long Generation
    {
        get => Interlocked.Read(ref _generation);
        set => Interlocked.Exchange(ref _generation, value);
    }

    /// <summary>A new day, or KPI definitions changed by an administrator (a parameter version in force from today): nothing computed before may stand.</summary>
    public void Reset(DateOnly today, KpiCatalog catalog)
    {
        lock (_gate)
        {
            if (_day != today || !ReferenceEquals(_catalog, catalog))
            {
                _tallies.Clear();
                _charts.Clear();
                _points.Clear();
                _day = today;
                _catalog = catalog;
            }
        }
    }

    public CachedTally? Tally(BucketKey day, string view, long? generation) =>
        _tallies.TryGetValue((day, view), out var c) && c.Generation == generation ? c : null;

    public void Keep(BucketKey day, string view, CachedTally tally) => _tallies[(day, view)] = tally;

    public CachedChart? Chart(string queue, string? serviceLevelKpi, long? generation) =>
        _charts.TryGetValue((queue, serviceLevelKpi), out var c) && c.Generation == generation ? c : null;

    public void Keep(string queue, string? serviceLevelKpi, CachedChart chart) => _charts[(queue, serviceLevelKpi)] = chart;

    /// <summary>A chart's points, computed again only when its quarter hours, its expected curve or the current quarter changed.</summary>
    public IntradayPoint[] Points(
        string queue, string? serviceLevelKpi, CachedChart chart, ExpectedCurve expected, DateTimeOffset now, Func<IntradayPoint[]> compute)
    {
        var quarter = BucketKey.For(queue, Granularity.Quarter, now).Start;
        if (_points.TryGetValue((queue, serviceLevelKpi), out var hit) && ReferenceEquals(hit.Chart, chart) && ReferenceEquals(hit.Expected, expected) && hit.Quarter == quarter)
        {
            return hit.Points;
        }

        var points = compute();
        _points[(queue, serviceLevelKpi)] = new CachedPoints(chart, expected, quarter, points);
        return points;
    }

    private sealed record CachedPoints(CachedChart Chart, ExpectedCurve Expected, DateTimeOffset Quarter, IntradayPoint[] Points);
}

/// <summary>A bucket's tally as some earlier read returned it (never changed after: readers only merge from it).</summary>
internal sealed record CachedTally(long Generation, long Offered, ContactTally Tally);

/// <summary>A chart's quarter hours as an earlier read returned them: their offered counts (what the next read is asked against) and figures.</summary>
internal sealed record CachedChart(long Generation, long DayOffered, IReadOnlyDictionary<DateTimeOffset, long> Offered, IReadOnlyDictionary<DateTimeOffset, QuarterFigure> Quarters);

/// <summary>A quarter hour's calls offered and its service level.</summary>
internal sealed record QuarterFigure(long Offered, double? ServiceLevel);
