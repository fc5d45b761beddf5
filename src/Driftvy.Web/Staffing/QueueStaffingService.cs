using System.Globalization;
using System.Text.Json.Serialization;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Organisation;
using Driftvy.Domain.Periods;
using Driftvy.Domain.Staffing;
using Driftvy.Web.Aggregates;
using Driftvy.Web.History;
using Driftvy.Web.Kpis;
using Driftvy.Web.Sources.Telephony;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Staffing;

/// <summary>The agents one recent window's inflow needs.</summary>
/// <param name="Minutes">The window: the last 30 or 60 minute buckets, the current minute included.</param>
/// <param name="Offered">Calls offered in the window.</param>
/// <param name="CallsPerHour">Arrival rate: offered ÷ the window's elapsed time, per hour.</param>
/// <param name="LoadErlangs">Calls × handle time ÷ elapsed time.</param>
/// <param name="AgentsNeeded">Fewest agents meeting the target under Erlang C; null with <paramref name="Reason"/> when it cannot be worked out.</param>
/// <param name="ServiceLevel">Share answered in time with that many agents (a fraction).</param>
/// <param name="Reason">Why there is no figure (no handle time measured, no target for the queue …).</param>
public sealed record WindowNeed(
    [property: JsonPropertyName("minutes")] int Minutes,
    [property: JsonPropertyName("offered")] long Offered,
    [property: JsonPropertyName("calls_per_hour")] double CallsPerHour,
    [property: JsonPropertyName("load_erlangs")] double? LoadErlangs,
    [property: JsonPropertyName("agents_needed")] int? AgentsNeeded,
    [property: JsonPropertyName("service_level")] double? ServiceLevel,
    [property: JsonPropertyName("reason")] string? Reason);

/// <summary>One quarter hour still to come (or under way): its forecast calls and the agents it needs.</summary>
/// <param name="Start">Start of the quarter hour.</param>
/// <param name="Hours">Hours of it still ahead (0.25; less for the one under way).</param>
/// <param name="Calls">Calls forecast for those hours.</param>
/// <param name="AgentsNeeded">Agents answering that meet the target in this quarter hour.</param>
/// <param name="AgentsForDayTarget">Agents that bring the whole day to the target; null when it is out of reach.</param>
/// <param name="ServiceLevelAsStaffed">Service level (a fraction) if the agents answering now stay; null without a snapshot.</param>
/// <param name="AgentHoursNeeded">Agents needed × hours.</param>
public sealed record QuarterNeedView(
    [property: JsonPropertyName("start")] DateTimeOffset Start,
    [property: JsonPropertyName("hours")] double Hours,
    [property: JsonPropertyName("calls")] double Calls,
    [property: JsonPropertyName("agents_needed")] int AgentsNeeded,
    [property: JsonPropertyName("agents_for_day_target")] int? AgentsForDayTarget,
    [property: JsonPropertyName("service_level_as_staffed")] double? ServiceLevelAsStaffed,
    [property: JsonPropertyName("agent_hours_needed")] double AgentHoursNeeded);

/// <summary>The intraday reforecast: how the rest of the day's calls were worked out.</summary>
/// <param name="Method"><c>curve_scaled</c>, <c>curve</c> or <c>recent_rate</c>.</param>
/// <param name="Factor">Today's actual ÷ expected so far, the curve's multiplier.</param>
/// <param name="ExpectedSoFar">Calls the expected curve gave from opening until now.</param>
/// <param name="ActualSoFar">Calls offered today.</param>
/// <param name="RestOfDayCalls">Calls forecast from now until closing.</param>
/// <param name="CurveDays">Earlier same weekdays the expected curve averages (0: none).</param>
/// <param name="Explanation">The method with its figures, in words.</param>
public sealed record ReforecastView(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("factor")] double? Factor,
    [property: JsonPropertyName("expected_so_far")] double ExpectedSoFar,
    [property: JsonPropertyName("actual_so_far")] long ActualSoFar,
    [property: JsonPropertyName("rest_of_day_calls")] double RestOfDayCalls,
    [property: JsonPropertyName("curve_days")] int CurveDays,
    [property: JsonPropertyName("explanation")] string Explanation);

/// <summary>Where today ends if staffing stays as it is, and what reaching the target takes.</summary>
/// <param name="ServiceLevelSoFar">Today's service level so far (a fraction).</param>
/// <param name="ProjectedServiceLevel">The service level the day ends at with the agents answering now held (a fraction); null without a snapshot.</param>
/// <param name="RequiredRestOfDay">The service level the rest of the day must reach for the day to meet the target.</param>
/// <param name="Reachable">Whether the target can still be met today.</param>
/// <param name="MissesTarget">The projection is below the target.</param>
/// <param name="AgentHoursAsStaffed">Agent-hours until closing with the agents answering now.</param>
/// <param name="AgentHoursNeeded">Agent-hours until closing that meet the target in every quarter hour.</param>
/// <param name="AgentHoursForDayTarget">Agent-hours until closing that bring the whole day to the target; null when out of reach.</param>
public sealed record ProjectionView(
    [property: JsonPropertyName("service_level_so_far")] double? ServiceLevelSoFar,
    [property: JsonPropertyName("projected_service_level")] double? ProjectedServiceLevel,
    [property: JsonPropertyName("required_rest_of_day")] double? RequiredRestOfDay,
    [property: JsonPropertyName("reachable")] bool Reachable,
    [property: JsonPropertyName("misses_target")] bool MissesTarget,
    [property: JsonPropertyName("agent_hours_as_staffed")] double? AgentHoursAsStaffed,
    [property: JsonPropertyName("agent_hours_needed")] double AgentHoursNeeded,
    [property: JsonPropertyName("agent_hours_for_day_target")] double? AgentHoursForDayTarget);

/// <summary>The rest of the opening day: reforecast, need per quarter hour and the end-of-day projection.</summary>
/// <param name="Model"><c>erlang_a</c> with the queue's patience, or <c>erlang_c</c>, in words.</param>
/// <param name="Reforecast">How the rest of the day's calls were forecast.</param>
/// <param name="Quarters">Each quarter hour from now until closing.</param>
/// <param name="Projection">Where the day ends.</param>
/// <param name="Reason">Why there is no rest of day (closed today, no handle time, no target); the other fields are then null.</param>
public sealed record RestOfDayView(
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("reforecast")] ReforecastView? Reforecast,
    [property: JsonPropertyName("quarters")] IReadOnlyList<QuarterNeedView> Quarters,
    [property: JsonPropertyName("projection")] ProjectionView? Projection,
    [property: JsonPropertyName("reason")] string? Reason);

/// <summary>A queue's live staffing need against the agents logged in, with the inputs it was worked out from.</summary>
/// <param name="Queue">The queue's id.</param>
/// <param name="At">The moment the figures are for.</param>
/// <param name="TargetKpi">The catalogue's service-level KPI whose target is used; null when the queue has none.</param>
/// <param name="ServiceLevelTarget">The target as a fraction (0.85).</param>
/// <param name="AnswerWithinSeconds">The KPI's service-level time.</param>
/// <param name="HandleTimeSeconds">Mean handle time of today's answered calls, or of the latest same weekday's when none has ended today; null when neither has one.</param>
/// <param name="HandledToday">Calls today's handle time is measured over.</param>
/// <param name="HandleTimeFrom"><c>today</c>, or the earlier same weekday (<c>yyyy-MM-dd</c>) the handle time comes from.</param>
/// <param name="PatienceSeconds">Mean patience of the queue's callers, from today's abandons (or the handle time's same weekday's); null without abandons (Erlang C is used then).</param>
/// <param name="Windows">The need over the last 30 and the last 60 minutes.</param>
/// <param name="AgentsLoggedIn">Available, busy and away agents in the latest snapshot; null without one.</param>
/// <param name="AgentsAnswering">Available and busy agents (the ones taking calls).</param>
/// <param name="Gap">Agents answering minus agents needed over the last 30 minutes (negative: short).</param>
/// <param name="SnapshotAt">When the latest snapshot was taken.</param>
/// <param name="SnapshotStale">The snapshot is older than the telephony source's stale limit: the agents logged in may no longer be true.</param>
/// <param name="NeedNow">Agents needed now: the larger of the last 30 minutes' need and the current quarter hour's.</param>
/// <param name="RestOfDay">The reforecast, the need per quarter hour until closing and the end-of-day projection.</param>
public sealed record QueueStaffingNeed(
    [property: JsonPropertyName("queue")] string Queue,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("target_kpi")] string? TargetKpi,
    [property: JsonPropertyName("service_level_target")] double? ServiceLevelTarget,
    [property: JsonPropertyName("answer_within_seconds")] int? AnswerWithinSeconds,
    [property: JsonPropertyName("handle_time_seconds")] double? HandleTimeSeconds,
    [property: JsonPropertyName("handled_today")] long HandledToday,
    [property: JsonPropertyName("handle_time_from")] string? HandleTimeFrom,
    [property: JsonPropertyName("patience_seconds")] double? PatienceSeconds,
    [property: JsonPropertyName("windows")] IReadOnlyList<WindowNeed> Windows,
    [property: JsonPropertyName("agents_logged_in")] int? AgentsLoggedIn,
    [property: JsonPropertyName("agents_answering")] int? AgentsAnswering,
    [property: JsonPropertyName("gap")] int? Gap,
    [property: JsonPropertyName("snapshot_at")] DateTimeOffset? SnapshotAt,
    [property: JsonPropertyName("snapshot_stale")] bool SnapshotStale,
    [property: JsonPropertyName("need_now")] int? NeedNow,
    [property: JsonPropertyName("rest_of_day")] RestOfDayView RestOfDay);

/// <summary>One day of the week: its calls and the agent-hours they need.</summary>
/// <param name="Date">The day.</param>
/// <param name="Basis"><c>actual</c> (a day gone by: its calls, shaped by the expected curve), <c>today</c> (calls so far plus the reforecast rest of the day) or <c>expected</c> (a day to come: the expected curve).</param>
/// <param name="Calls">Calls offered, or forecast.</param>
/// <param name="AgentHoursNeeded">Agent-hours that meet the target in every open quarter hour.</param>
/// <param name="PeakAgents">Most agents any quarter hour needs.</param>
/// <param name="ServiceLevel">The day's service level (a fraction): as it ended, or today's projection; null for days to come.</param>
/// <param name="Reason">Why the day has no figures (closed, no handle time, no target).</param>
public sealed record DayNeedView(
    [property: JsonPropertyName("date")] DateOnly Date,
    [property: JsonPropertyName("basis")] string Basis,
    [property: JsonPropertyName("calls")] double Calls,
    [property: JsonPropertyName("agent_hours_needed")] double AgentHoursNeeded,
    [property: JsonPropertyName("peak_agents")] int PeakAgents,
    [property: JsonPropertyName("service_level")] double? ServiceLevel,
    [property: JsonPropertyName("reason")] string? Reason);

/// <summary>A queue's staffing need over this ISO week, for the steering view.</summary>
/// <param name="Queue">The queue's id.</param>
/// <param name="Today">Today's live need, reforecast and projection.</param>
/// <param name="Days">Monday to Sunday.</param>
public sealed record WeekNeedView(
    [property: JsonPropertyName("queue")] string Queue,
    [property: JsonPropertyName("today")] QueueStaffingNeed Today,
    [property: JsonPropertyName("days")] IReadOnlyList<DayNeedView> Days);

/// <summary>
/// Agents a queue needs now and for the rest of its opening day. Now: the inflow of the last 30 and 60 minutes
/// (minute buckets of the hot store). The rest of the day: the board's expected curve (<see cref="TallyHistory.ExpectedAsync"/>)
/// scaled by today's actual ÷ expected so far. Both with the handle time measured today (else the latest same
/// weekday's), the queue's patience from its abandons (Erlang A; Erlang C without abandons) and the target of the
/// catalogue's service-level KPI for the queue, against the agents in the latest queue snapshot.
/// </summary>
public sealed class QueueStaffingService(IAggregateStore store, TallyHistory history, KpiSetup kpis, IOptions<TelephonyOptions> telephony, TimeProvider time)
{
    private static readonly int[] WindowMinutes = [30, 60];

    /// <summary>The queue's need now; null for a queue the organisation does not know.</summary>
    public async Task<QueueStaffingNeed?> NeedAsync(string queue, CancellationToken cancellationToken)
    {
        if (kpis.Organisation.Queue(queue) is not { } definition)
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
        var (handleSeconds, handleFrom, patience) = await HandlingAsync(queue, today, todayTally, cancellationToken).ConfigureAwait(false);
        var (kpi, target, within) = TargetFor(queue, today);

        var windows = new List<WindowNeed>(WindowMinutes.Length);
        for (var w = 0; w < WindowMinutes.Length; w++)
        {
            // The oldest bucket is whole and the current one partial: the window has lasted from the oldest's start to now.
            var elapsed = now - currentMinute.AddMinutes(-(WindowMinutes[w] - 1));
            windows.Add(Window(WindowMinutes[w], tallies[w], elapsed, handleSeconds, patience, target, within));
        }

        int? answering = snapshot is null ? null : snapshot.AgentsAvailable + snapshot.AgentsBusy;
        int? loggedIn = snapshot is null ? null : answering + snapshot.AgentsAway;
        var stale = snapshot is not null && now - snapshot.At > telephony.Value.StaleAfter;
        var restOfDay = await RestOfDayAsync(queue, definition, kpi, now, today, todayTally, windows[1], handleSeconds, patience, target, within, answering, cancellationToken).ConfigureAwait(false);

        // Now: what the last half hour shows, or what the quarter hour under way is forecast to bring if that is more.
        var currentQuarter = restOfDay.Quarters.Count > 0 && restOfDay.Quarters[0].Start <= now ? restOfDay.Quarters[0].AgentsNeeded : (int?)null;
        var needNow = windows[0].AgentsNeeded is { } measured ? Math.Max(measured, currentQuarter ?? 0) : currentQuarter;
        int? gap = answering is { } a && needNow is { } needed ? a - needed : null;
        return new QueueStaffingNeed(
            queue, now, kpi, target, within, handleSeconds, todayTally.HandledCount, handleFrom, patience?.TotalSeconds,
            windows, loggedIn, answering, gap, snapshot?.At, stale, needNow, restOfDay);
    }

    /// <summary>
    /// The week's need per day: days gone by from their calls, today from its calls and the reforecast, days to come
    /// from the expected curve; each with today's handle time and patience. Null for an unknown queue.
    /// </summary>
    public async Task<WeekNeedView?> WeekAsync(string queue, CancellationToken cancellationToken)
    {
        if (await NeedAsync(queue, cancellationToken).ConfigureAwait(false) is not { } need)
        {
            return null;
        }

        var definition = kpis.Organisation.Queue(queue)!;
        var today = StockholmTime.LocalDate(need.At);
        var week = Period.IsoWeekOf(today);
        var days = new List<DayNeedView>(7);
        for (var day = week.Start; day < week.End; day = day.AddDays(1))
        {
            var basis = day < today ? "actual" : day == today ? "today" : "expected";
            var spans = definition.OpeningHours.On(day, kpis.Calendar);
            if (spans.Count == 0 || need.HandleTimeSeconds is not { } aht || need.ServiceLevelTarget is not { } target || need.AnswerWithinSeconds is not { } within)
            {
                days.Add(new DayNeedView(day, basis, 0, 0, 0, null,
                    spans.Count == 0 ? "closed" : need.HandleTimeSeconds is null ? "no handle time measured" : "no service-level target"));
                continue;
            }

            var curve = await history.ExpectedAsync(queue, day, cancellationToken).ConfigureAwait(false);
            var shape = new List<double>();
            foreach (var span in spans)
            {
                for (var at = span.Open; at < span.Close && at >= span.Open; at = at.AddMinutes(15))
                {
                    shape.Add(curve.PerQuarter.GetValueOrDefault(at));
                }
            }

            double calls;
            double? serviceLevel = null;
            if (basis == "actual")
            {
                var tally = (await history.DaysAsync([queue], day, day.AddDays(1), cancellationToken).ConfigureAwait(false))[0];
                calls = tally.Offered;
                serviceLevel = need.TargetKpi is { } kpi ? kpis.EvaluateQueue(kpi, queue, Period.Day(day), tally).Value.Value / 100 : null;
            }
            else if (basis == "today")
            {
                calls = need.RestOfDay.Reforecast is { } r ? r.ActualSoFar + r.RestOfDayCalls : 0;
                serviceLevel = need.RestOfDay.Projection?.ProjectedServiceLevel ?? need.RestOfDay.Projection?.ServiceLevelSoFar;
            }
            else
            {
                calls = shape.Sum();
            }

            // The day's calls spread as the expected curve spreads them (evenly over the open hours without one).
            var total = shape.Sum();
            var perQuarter = total > 0 ? shape.Select(q => q * calls / total) : shape.Select(_ => calls / shape.Count);
            var (hours, peak) = IntradayStaffing.DayNeed(perQuarter, TimeSpan.FromSeconds(aht), need.PatienceSeconds is { } p ? TimeSpan.FromSeconds(p) : null, target, TimeSpan.FromSeconds(within));
            days.Add(new DayNeedView(day, basis, calls, hours, peak, serviceLevel, null));
        }

        return new WeekNeedView(queue, need, days);
    }

    /// <summary>
    /// Today's mean handle time and patience; before the first call of the day has ended, the latest of the last
    /// weeks' same weekdays that has one. Patience is total waiting over abandons (the estimate for exponential patience).
    /// </summary>
    private async Task<(double? HandleSeconds, string? From, TimeSpan? Patience)> HandlingAsync(string queue, DateOnly today, ContactTally todayTally, CancellationToken cancellationToken)
    {
        if (todayTally.HandledCount > 0)
        {
            return (todayTally.HandleSecondsSum / todayTally.HandledCount, "today", Patience(todayTally));
        }

        for (var w = 1; w <= TallyHistory.ExpectedWeeks; w++)
        {
            var day = today.AddDays(-7 * w);
            var tally = (await history.DaysAsync([queue], day, day.AddDays(1), cancellationToken).ConfigureAwait(false))[0];
            if (tally.HandledCount > 0)
            {
                return (tally.HandleSecondsSum / tally.HandledCount, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Patience(tally));
            }
        }

        return (null, null, null);
    }

    private static TimeSpan? Patience(ContactTally tally)
    {
        // Abandoned waits are kept in whole seconds rounded up: at most a second per abandon too long.
        var abandonedWait = tally.AbandonedWaits.Sum(w => (double)w.Key * w.Value);
        return ErlangA.EstimatePatience(tally.Abandoned, tally.AnsweredWaitSecondsSum + abandonedWait);
    }

    private async Task<RestOfDayView> RestOfDayAsync(
        string queue, QueueDefinition definition, string? kpi, DateTimeOffset now, DateOnly today, ContactTally todayTally, WindowNeed lastHour,
        double? handleSeconds, TimeSpan? patience, double? target, int? within, int? answering, CancellationToken cancellationToken)
    {
        if (kpi is null || target is not { } t || within is not { } s)
        {
            return NoRestOfDay("the catalogue gives this queue no service-level target");
        }

        if (handleSeconds is not { } aht)
        {
            return NoRestOfDay("no call has ended today or on the same weekday of the last weeks, so there is no handle time to work from");
        }

        var spans = definition.OpeningHours.On(today, kpis.Calendar);
        if (spans.Count == 0)
        {
            return NoRestOfDay("the queue is closed today");
        }

        var curve = await history.ExpectedAsync(queue, today, cancellationToken).ConfigureAwait(false);
        var quarters = new List<OpenQuarter>();
        foreach (var span in spans)
        {
            for (var at = span.Open; at < span.Close && at >= span.Open; at = at.AddMinutes(15))
            {
                quarters.Add(new OpenQuarter(StockholmTime.ToUtc(today, at), curve.PerQuarter.GetValueOrDefault(at)));
            }
        }

        var soFar = kpis.EvaluateQueue(kpi, queue, Period.Day(today), todayTally).Value;
        var outlook = IntradayStaffing.Outlook(new IntradayInputs(
            quarters, now, todayTally.Offered, soFar.Numerator ?? 0, soFar.Denominator ?? 0, TimeSpan.FromSeconds(aht), patience,
            t, TimeSpan.FromSeconds(s), answering, lastHour.CallsPerHour));
        var r = outlook.Reforecast;
        var p = outlook.Projection;
        return new RestOfDayView(
            outlook.Model,
            new ReforecastView(r.Method, r.Factor, r.ExpectedSoFar, r.ActualSoFar, r.RestOfDayCalls, curve.DaysUsed, r.Explanation),
            [.. outlook.Quarters.Select(q => new QuarterNeedView(q.Start, q.Hours, q.Calls, q.AgentsNeeded, q.AgentsForDayTarget, q.ServiceLevelAsStaffed, q.AgentsNeeded * q.Hours))],
            new ProjectionView(p.ServiceLevelSoFar, p.ProjectedServiceLevel, p.RequiredRestOfDay, p.Reachable, p.MissesTarget, p.AgentHoursAsStaffed, p.AgentHoursNeeded, p.AgentHoursForDayTarget),
            null);
    }

    private static RestOfDayView NoRestOfDay(string reason) => new(null, null, [], null, reason);

    private static WindowNeed Window(int minutes, ContactTally tally, TimeSpan elapsed, double? handleSeconds, TimeSpan? patience, double? target, int? within)
    {
        var perHour = tally.Offered / elapsed.TotalHours;
        if (handleSeconds is not { } aht)
        {
            return new WindowNeed(minutes, tally.Offered, perHour, null, null, null, "no call has ended today or on the same weekday of the last weeks, so there is no handle time to work from");
        }

        var workload = new Workload(tally.Offered, elapsed, TimeSpan.FromSeconds(aht));
        if (target is not { } t || within is not { } s)
        {
            return new WindowNeed(minutes, tally.Offered, perHour, workload.Load, null, null, "the catalogue gives this queue no service-level target");
        }

        try
        {
            var answerWithin = TimeSpan.FromSeconds(s);
            var agents = IntradayStaffing.Agents(workload, t, answerWithin, patience);
            var serviceLevel = IntradayStaffing.ServiceLevel(agents, workload, answerWithin, patience);
            return new WindowNeed(minutes, tally.Offered, perHour, workload.Load, agents, serviceLevel, null);
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
