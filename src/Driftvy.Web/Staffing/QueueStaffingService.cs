using System.Text.Json.Serialization;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Staffing;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Kpis;

namespace Driftvy.Web.Staffing;

/// <summary>The agents one recent window's inflow needs.</summary>
/// <param name="Minutes">The window: the last 30 or 60 minute buckets, the current minute included.</param>
/// <param name="Offered">Calls offered in the window.</param>
/// <param name="CallsPerHour">Arrival rate: offered ÷ the window's elapsed time, per hour.</param>
/// <param name="LoadErlangs">Calls × handle time ÷ elapsed time.</param>
/// <param name="AgentsNeeded">Fewest agents meeting the target under Erlang C; null with <paramref name="Reason"/> when it cannot be worked out.</param>
/// <param name="ServiceLevel">Share answered in time with that many agents (a fraction).</param>
/// <param name="Reason">Why there is no figure (no handle time measured today, no target for the queue …).</param>
public sealed record WindowNeed(
    [property: JsonPropertyName("minutes")] int Minutes,
    [property: JsonPropertyName("offered")] long Offered,
    [property: JsonPropertyName("calls_per_hour")] double CallsPerHour,
    [property: JsonPropertyName("load_erlangs")] double? LoadErlangs,
    [property: JsonPropertyName("agents_needed")] int? AgentsNeeded,
    [property: JsonPropertyName("service_level")] double? ServiceLevel,
    [property: JsonPropertyName("reason")] string? Reason);

/// <summary>A queue's live staffing need against the agents logged in, with the inputs it was worked out from.</summary>
/// <param name="Queue">The queue's id.</param>
/// <param name="At">The moment the figures are for.</param>
/// <param name="TargetKpi">The catalogue's service-level KPI whose target is used; null when the queue has none.</param>
/// <param name="ServiceLevelTarget">The target as a fraction (0.85).</param>
/// <param name="AnswerWithinSeconds">The KPI's service-level time.</param>
/// <param name="HandleTimeSeconds">Mean handle time of today's answered calls; null when none has ended today.</param>
/// <param name="HandledToday">Calls the handle time is measured over.</param>
/// <param name="Windows">The need over the last 30 and the last 60 minutes.</param>
/// <param name="AgentsLoggedIn">Available, busy and away agents in the latest snapshot; null without one.</param>
/// <param name="AgentsAnswering">Available and busy agents (the ones taking calls).</param>
/// <param name="Gap">Agents answering minus agents needed over the last 30 minutes (negative: short).</param>
/// <param name="SnapshotAt">When the latest snapshot was taken.</param>
public sealed record QueueStaffingNeed(
    [property: JsonPropertyName("queue")] string Queue,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("target_kpi")] string? TargetKpi,
    [property: JsonPropertyName("service_level_target")] double? ServiceLevelTarget,
    [property: JsonPropertyName("answer_within_seconds")] int? AnswerWithinSeconds,
    [property: JsonPropertyName("handle_time_seconds")] double? HandleTimeSeconds,
    [property: JsonPropertyName("handled_today")] long HandledToday,
    [property: JsonPropertyName("windows")] IReadOnlyList<WindowNeed> Windows,
    [property: JsonPropertyName("agents_logged_in")] int? AgentsLoggedIn,
    [property: JsonPropertyName("agents_answering")] int? AgentsAnswering,
    [property: JsonPropertyName("gap")] int? Gap,
    [property: JsonPropertyName("snapshot_at")] DateTimeOffset? SnapshotAt);

/// <summary>
/// Agents a queue needs now: the inflow of the last 30 and 60 minutes (minute buckets of the hot store), today's
/// measured handle time and the target of the catalogue's service-level KPI for the queue, solved with Erlang C,
/// against the agents in the latest queue snapshot.
/// </summary>
internal sealed class QueueStaffingService(IAggregateStore store, KpiSetup kpis, TimeProvider time)
{
    private static readonly int[] WindowMinutes = [30, 60];

    /// <summary>The queue's need now; null for a queue the organisation does not know.</summary>
    public async Task<QueueStaffingNeed?> NeedAsync(string queue, CancellationToken cancellationToken)
    {
        if (kpis.Organisation.Queue(queue) is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var today = StockholmTime.LocalDate(now);
        var currentMinute = BucketKey.For(queue, Granularity.Minute, now).Start;
        var groups = WindowMinutes
            .Select(m => (IReadOnlyList<BucketKey>)[.. Enumerable.Range(0, m).Select(i => new BucketKey(queue, Granularity.Minute, currentMinute.AddMinutes(-i)))])
            .Append([BucketKey.ForDay(queue, today)])
            .ToList();
        var tallies = await store.ReadMergedAsync(groups, cancellationToken).ConfigureAwait(false);
        var snapshot = (await store.ReadSnapshotsAsync([queue], cancellationToken).ConfigureAwait(false))[0];

        var todayTally = tallies[^1];
        double? handleSeconds = todayTally.HandledCount > 0 ? todayTally.HandleSecondsSum / todayTally.HandledCount : null;
        var (kpi, target, within) = TargetFor(queue, today);

        var windows = new List<WindowNeed>(WindowMinutes.Length);
        for (var w = 0; w < WindowMinutes.Length; w++)
        {
            // The oldest bucket is whole and the current one partial: the window has lasted from the oldest's start to now.
            var elapsed = now - currentMinute.AddMinutes(-(WindowMinutes[w] - 1));
            windows.Add(Window(WindowMinutes[w], tallies[w], elapsed, handleSeconds, target, within));
        }

        int? answering = snapshot is null ? null : snapshot.AgentsAvailable + snapshot.AgentsBusy;
        int? loggedIn = snapshot is null ? null : answering + snapshot.AgentsAway;
        int? gap = answering is { } a && windows[0].AgentsNeeded is { } needed ? a - needed : null;
        return new QueueStaffingNeed(queue, now, kpi, target, within, handleSeconds, todayTally.HandledCount, windows, loggedIn, answering, gap, snapshot?.At);
    }

    private static WindowNeed Window(int minutes, ContactTally tally, TimeSpan elapsed, double? handleSeconds, double? target, int? within)
    {
        var perHour = tally.Offered / elapsed.TotalHours;
        if (handleSeconds is not { } aht)
        {
            return new WindowNeed(minutes, tally.Offered, perHour, null, null, null, "no call has ended today, so there is no handle time to work from");
        }

        var workload = new Workload(tally.Offered, elapsed, TimeSpan.FromSeconds(aht));
        if (target is not { } t || within is not { } s)
        {
            return new WindowNeed(minutes, tally.Offered, perHour, workload.Load, null, null, "the catalogue gives this queue no service-level target");
        }

        try
        {
            var need = StaffingSolver.Solve(workload, new StaffingGoal(t, TimeSpan.FromSeconds(s)));
            return new WindowNeed(minutes, tally.Offered, perHour, workload.Load, need.Agents, need.ServiceLevel, null);
        }
        catch (StaffingInputException ex)
        {
            return new WindowNeed(minutes, tally.Offered, perHour, workload.Load, null, null, ex.Message);
        }
    }

    /// <summary>The first service-level KPI in force today whose population holds the queue and that has a target.</summary>
    private (string? Kpi, double? Target, int? Within) TargetFor(string queue, DateOnly today)
    {
        var catalog = kpis.Catalog;
        foreach (var definition in catalog.Kpis)
        {
            if (definition.VersionOn(today) is not { Kind: FormulaKind.ServiceLevel } version
                || !version.Population.Queues.Contains(queue, StringComparer.Ordinal)
                || version.ParametersFor(queue).ThresholdSeconds is not { } seconds
                || kpis.Targets.Find(definition.Id, today.Year) is not { } target)
            {
                continue;
            }

            var fraction = version.Unit == KpiUnit.Percent ? target.Value / 100 : target.Value;
            return (definition.Id, fraction, seconds);
        }

        return (null, null, null);
    }
}
