using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
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
/// Turns what was read into tiles: each KPI computed by the engine with the definition version in force, its status
/// against the target derived for the tile's window, composed from named parts into the flat wire shape.
/// </summary>
internal sealed class TileShaper(KpiSetup kpis, TilePlanner planner)
{
    private const string StaffingMethod =
        "agents needed for the target within its time: Erlang A with the queue's patience from its abandons (Erlang C without abandons), "
        + "from the last 30 minutes' calls and the expected curve for the quarter hour under way, with today's handle time";

    /// <summary>
    /// A queue tile. While the aggregates are rebuilt (<paramref name="ready"/> false) figures would be partial: it shows
    /// none rather than wrong ones. <paramref name="intraday"/> is null when the tile draws no chart.
    /// </summary>
    public BoardTile QueueTile(
        TileDefinition def, TilePlan plan, TileFigures? figures, QueueSnapshot? live, IReadOnlyDictionary<(string Queue, DateOnly From), ContactTally> closedDays,
        IReadOnlyList<AnnotationView> notes, bool ready, IReadOnlyList<IntradayPoint>? intraday, DateTimeOffset now, DateOnly today, TimeSpan staleAfter)
    {
        var queue = def.Queue!;
        var window = new ContactTally();
        if (ready && figures is not null)
        {
            window.Merge(figures.Window);
            if (TilePlanner.WindowStart(def.Window, today) is { } from && closedDays.TryGetValue((queue, from), out var before))
            {
                window.Merge(before);
            }
        }

        var reading = kpis.EvaluateQueue(def.Kpi, queue, plan.Period, window);
        var version = plan.Version;
        var shortAbandoned = window.AbandonedWithin(plan.ShortAbandonSeconds);
        var chartTarget = intraday is not null && plan.ServiceLevelKpi is { } slKpi ? TargetOnly(slKpi, Period.Day(today)) : null;
        var team = kpis.Organisation.Queue(queue)?.Team;
        return Compose(
            new TileHeading(def.Id, "queue", queue, def.Title, def.TitleEn, def.Kpi, version.NameSv, version.NameEn, WindowName(def.Window), def.Span),
            new KpiFigure(
                reading.Value.Value, UnitName(version.Unit), reading.Status?.Target.Value ?? TargetOnly(def.Kpi, plan.Period), reading.StatusCode,
                reading.Value.Provenance, reading.Value.NoValueReason),
            LiveQueueState.Of(live),
            new CallCounts(window.Offered, window.Answered, window.Abandoned - shortAbandoned, shortAbandoned),
            Freshness.Of(live?.At, now, staleAfter),
            new TileChart(intraday ?? [], chartTarget, plan.ServiceLevelParameters?.ThresholdSeconds),
            [.. notes.Where(n => n.Subject is null || n.Subject == queue || n.Subject == team)]);
    }

    /// <summary>
    /// A staffing tile: agents needed now against agents answering, coloured by the gap (enough: on target; one
    /// short: near; more: off), dated by the queue snapshot so an old snapshot greys the tile out like any stale tile.
    /// </summary>
    public BoardTile StaffingTile(TileDefinition def, QueueStaffingNeed? need, IReadOnlyList<AnnotationView> notes, DateTimeOffset now, DateOnly today, TimeSpan staleAfter)
    {
        var queue = def.Queue!;
        var version = planner.VersionFor(def.Kpi, today);
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
        var team = kpis.Organisation.Queue(queue)?.Team;
        return Compose(
            new TileHeading(def.Id, "staffing", queue, def.Title, def.TitleEn, def.Kpi, version.NameSv, version.NameEn, WindowName(TileWindow.Today), def.Span),
            new KpiFigure(need?.NeedNow, "count", null, status, StaffingMethod, reason),
            LiveQueueState.None,
            CallCounts.None,
            Freshness.Of(need?.SnapshotAt, now, staleAfter),
            TileChart.Without(need?.AnswerWithinSeconds),
            [.. notes.Where(n => n.Subject is null || n.Subject == queue || n.Subject == team)],
            figures);
    }

    /// <summary>A back-office tile: the team's KPI over the window's period from its cases, volumes and staffing.</summary>
    public BoardTile TeamTile(TileDefinition def, Period period, BackOfficeFactSet facts, IReadOnlyList<AnnotationView> notes, DateTimeOffset now, TimeSpan staleAfter)
    {
        var team = def.Team!;
        var version = planner.VersionFor(def.Kpi, period.Start);
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

        return Compose(
            new TileHeading(def.Id, "team", team, def.Title, def.TitleEn, def.Kpi, version.NameSv, version.NameEn, WindowName(def.Window), def.Span),
            new KpiFigure(
                reading?.Value.Value, UnitName(version.Unit), reading?.Status?.Target.Value ?? TargetOnly(def.Kpi, period), reading?.StatusCode ?? "no-data",
                reading?.Value.Provenance ?? $"{def.Kpi} v{version.Version}: {version.FormulaEn}", reason),
            LiveQueueState.None,
            CallCounts.None,
            Freshness.Of(facts.AsOf, now, staleAfter),
            TileChart.Without(null),
            [.. notes.Where(n => n.Subject is null || n.Subject == team)]);
    }

    /// <summary>Today per quarter hour, over the part of the day where calls came or were expected (and at least up to now), not the empty night.</summary>
    public static IntradayPoint[] Intraday(
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

        var busy = all.Select((p, i) => (p, i)).Where(x => (x.p.Offered ?? 0) > 0 || (x.p.Expected ?? 0) >= 0.5).Select(x => x.i).ToList();
        var current = all.FindLastIndex(p => p.Start <= now);
        var first = busy.Count > 0 ? Math.Min(busy[0], current) : Math.Max(0, current - 8);
        var last = busy.Count > 0 ? Math.Max(busy[^1], current) : current;
        return [.. all.GetRange(first, Math.Max(1, last - first + 1))];
    }

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

    /// <summary>The target derived for a period even when the value is missing (a screen shows the target before the first call).</summary>
    private double? TargetOnly(string kpiId, Period period)
    {
        var version = kpis.Catalog.Get(kpiId).VersionOn(period.Start);
        var target = kpis.Targets.Find(kpiId, period.Start.Year);
        return version is null || target is null ? null : Domain.Targets.TargetEvaluation.Derive(target, version, period).Value;
    }

    private static BoardTile Compose(
        TileHeading heading, KpiFigure figure, LiveQueueState live, CallCounts calls, Freshness freshness, TileChart chart,
        IReadOnlyList<AnnotationView> annotations, StaffingTileFigures? staffing = null) => new()
    {
        Id = heading.Id,
        Kind = heading.Kind,
        Queue = heading.Subject,
        Title = heading.Title,
        TitleEn = heading.TitleEn,
        Kpi = heading.Kpi,
        KpiName = heading.KpiName,
        KpiNameEn = heading.KpiNameEn,
        Window = heading.Window,
        Value = figure.Value,
        Unit = figure.Unit,
        Target = figure.Target,
        Status = figure.Status,
        Span = heading.Span,
        Formula = figure.Formula,
        NoValueReason = figure.NoValueReason,
        Waiting = live.Waiting,
        LongestWaitSeconds = live.LongestWaitSeconds,
        AgentsAvailable = live.AgentsAvailable,
        AgentsBusy = live.AgentsBusy,
        AgentsAway = live.AgentsAway,
        Offered = calls.Offered,
        Answered = calls.Answered,
        Abandoned = calls.Abandoned,
        ShortAbandoned = calls.ShortAbandoned,
        ServiceLevelSeconds = chart.ServiceLevelSeconds,
        DataAsOf = freshness.DataAsOf,
        Stale = freshness.Stale,
        StaleAfterSeconds = freshness.StaleAfterSeconds,
        Intraday = chart.Points,
        IntradayTarget = chart.Target,
        Annotations = annotations,
        Staffing = staffing,
    };
}
