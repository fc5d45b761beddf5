using System.Globalization;

namespace Driftvy.Domain.Staffing;

/// <summary>One open quarter hour of today, with the calls the expected curve gives it.</summary>
/// <param name="Start">Start of the quarter hour.</param>
/// <param name="ExpectedCalls">Calls the expected curve gives the whole quarter hour.</param>
public sealed record OpenQuarter(DateTimeOffset Start, double ExpectedCalls)
{
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(15);

    public DateTimeOffset End => Start + Length;
}

/// <summary>What the rest of the day is worked out from.</summary>
/// <param name="Quarters">Today's open quarter hours in order (those gone by included: they give the expected calls so far).</param>
/// <param name="Now">The moment the figures are for.</param>
/// <param name="OfferedSoFar">Calls offered today so far.</param>
/// <param name="AnsweredInTimeSoFar">Today's service level so far: the calls counted as answered in time (its numerator).</param>
/// <param name="CountedSoFar">Today's service level so far: the calls it counts (its denominator).</param>
/// <param name="HandleTime">Mean handle time the need is worked out with.</param>
/// <param name="Patience">Mean patience of the queue's callers; null: nobody hangs up (Erlang C).</param>
/// <param name="Target">Service-level target (0–1).</param>
/// <param name="AnswerWithin">The target's time.</param>
/// <param name="AgentsAnswering">Agents taking calls now; null when unknown (no projection then).</param>
/// <param name="RecentCallsPerHour">The last hour's arrival rate, held for the rest of the day when there is no expected curve.</param>
public sealed record IntradayInputs(
    IReadOnlyList<OpenQuarter> Quarters,
    DateTimeOffset Now,
    long OfferedSoFar,
    double AnsweredInTimeSoFar,
    double CountedSoFar,
    TimeSpan HandleTime,
    TimeSpan? Patience,
    double Target,
    TimeSpan AnswerWithin,
    int? AgentsAnswering,
    double? RecentCallsPerHour);

/// <summary>How the rest of the day's calls were forecast.</summary>
/// <param name="Method"><c>curve_scaled</c> (expected curve × today's actual ÷ expected so far), <c>curve</c> (too little expected yet to compare) or <c>recent_rate</c> (no curve: the last hour's rate held).</param>
/// <param name="Factor">The factor the expected curve is multiplied by (1 for <c>curve</c>; null for <c>recent_rate</c>).</param>
/// <param name="ExpectedSoFar">Calls the curve expected from opening until now.</param>
/// <param name="ActualSoFar">Calls offered today so far.</param>
/// <param name="RestOfDayCalls">Calls forecast from now until closing.</param>
/// <param name="Explanation">The method in words, with its figures.</param>
public sealed record Reforecast(string Method, double? Factor, double ExpectedSoFar, long ActualSoFar, double RestOfDayCalls, string Explanation);

/// <summary>The need of one quarter hour still to come (or under way).</summary>
/// <param name="Start">Start of the quarter hour.</param>
/// <param name="Hours">Hours of it still ahead (0.25, less for the one under way).</param>
/// <param name="Calls">Calls forecast for those hours.</param>
/// <param name="AgentsNeeded">Fewest agents answering that meet the target in this quarter hour.</param>
/// <param name="AgentsForDayTarget">Fewest agents that bring the whole day to the target (more when the day so far is behind); null when it can no longer be reached.</param>
/// <param name="ServiceLevelAsStaffed">Service level with today's agents answering now held; null without them.</param>
public sealed record QuarterNeed(DateTimeOffset Start, double Hours, double Calls, int AgentsNeeded, int? AgentsForDayTarget, double? ServiceLevelAsStaffed);

/// <summary>Where the day ends.</summary>
/// <param name="ServiceLevelSoFar">Today's service level so far (a fraction); null before the first counted call.</param>
/// <param name="ProjectedServiceLevel">The service level the day ends at if the agents answering now stay as they are; null without them.</param>
/// <param name="RequiredRestOfDay">The service level the rest of the day must reach for the day to meet the target; null with no calls to come.</param>
/// <param name="Reachable">Whether the target can still be reached today.</param>
/// <param name="MissesTarget">The projection is below the target.</param>
/// <param name="AgentHoursAsStaffed">Agent-hours from now to closing with today's agents held.</param>
/// <param name="AgentHoursNeeded">Agent-hours that meet the target in every quarter hour to come.</param>
/// <param name="AgentHoursForDayTarget">Agent-hours that bring the whole day to the target; null when it is out of reach.</param>
public sealed record DayProjection(
    double? ServiceLevelSoFar,
    double? ProjectedServiceLevel,
    double? RequiredRestOfDay,
    bool Reachable,
    bool MissesTarget,
    double? AgentHoursAsStaffed,
    double AgentHoursNeeded,
    double? AgentHoursForDayTarget);

/// <summary>The rest of the day: forecast calls, the need per quarter hour and where the day ends.</summary>
public sealed record IntradayOutlook(Reforecast Reforecast, IReadOnlyList<QuarterNeed> Quarters, DayProjection Projection, string Model);

/// <summary>
/// Intraday reforecast and end-of-day projection. The rest of the day's calls are the expected curve scaled by how
/// today has gone so far (actual ÷ expected since opening); each quarter hour's need is solved with Erlang A when the
/// queue's patience is known (callers hang up) and Erlang C otherwise; the day's end is today's answered-in-time so
/// far plus each quarter hour's service level with the agents answering now, over all the calls.
/// </summary>
public static class IntradayStaffing
{
    /// <summary>Below this many calls expected so far the comparison says nothing yet: the curve is used as it stands.</summary>
    public const double MinimumExpectedToScale = 5;

    /// <summary>A rest-of-day service level above this is treated as out of reach (no finite staffing answers everyone in time).</summary>
    public const double HighestReachable = 0.995;

    public static IntradayOutlook Outlook(IntradayInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var now = inputs.Now;
        var reforecast = Forecast(inputs);
        var perQuarter = reforecast.Method == "recent_rate"
            ? (inputs.RecentCallsPerHour ?? 0) / 4
            : double.NaN;

        // The quarters still ahead, with their calls.
        var ahead = new List<(OpenQuarter Quarter, double Hours, double FullCalls)>();
        foreach (var q in inputs.Quarters.Where(q => q.End > now))
        {
            var remaining = q.Start >= now ? OpenQuarter.Length : q.End - now;
            var full = double.IsNaN(perQuarter) ? q.ExpectedCalls * (reforecast.Factor ?? 1) : perQuarter;
            ahead.Add((q, remaining.TotalHours, full));
        }

        var restCalls = ahead.Sum(a => a.FullCalls * a.Hours / OpenQuarter.Length.TotalHours);
        reforecast = reforecast with { RestOfDayCalls = restCalls };

        double? soFar = inputs.CountedSoFar > 0 ? inputs.AnsweredInTimeSoFar / inputs.CountedSoFar : null;
        double? required = restCalls > 0
            ? ((inputs.Target * (inputs.CountedSoFar + restCalls)) - inputs.AnsweredInTimeSoFar) / restCalls
            : null;
        var reachable = required is not { } r ? (soFar ?? 1) >= inputs.Target - StaffingSolver.Tolerance : r <= HighestReachable;
        var dayGoal = required is { } req ? Math.Max(req, 0) : inputs.Target;

        var needs = new List<QuarterNeed>(ahead.Count);
        double inTime = 0, asStaffedHours = 0, neededHours = 0, forDayHours = 0;
        foreach (var (q, hours, full) in ahead)
        {
            var workload = new Workload(full, OpenQuarter.Length, inputs.HandleTime);
            var needed = Agents(workload, inputs.Target, inputs.AnswerWithin, inputs.Patience);
            int? forDay = reachable ? Agents(workload, dayGoal, inputs.AnswerWithin, inputs.Patience) : null;
            double? asStaffed = inputs.AgentsAnswering is { } n ? ServiceLevel(n, workload, inputs.AnswerWithin, inputs.Patience) : null;
            var calls = full * hours / OpenQuarter.Length.TotalHours;
            inTime += (asStaffed ?? 0) * calls;
            asStaffedHours += (inputs.AgentsAnswering ?? 0) * hours;
            neededHours += needed * hours;
            forDayHours += (forDay ?? 0) * hours;
            needs.Add(new QuarterNeed(q.Start, hours, calls, needed, forDay, asStaffed));
        }

        double? projected = inputs.AgentsAnswering is null
            ? null
            : inputs.CountedSoFar + restCalls > 0 ? (inputs.AnsweredInTimeSoFar + inTime) / (inputs.CountedSoFar + restCalls) : null;
        var misses = projected is { } p && p < inputs.Target - StaffingSolver.Tolerance;
        var projection = new DayProjection(
            soFar, projected, required, reachable, misses,
            inputs.AgentsAnswering is null ? null : asStaffedHours, neededHours, reachable ? forDayHours : null);
        var model = inputs.Patience is { } patience
            ? string.Create(CultureInfo.InvariantCulture, $"erlang_a (mean patience {patience.TotalSeconds:0} s)")
            : "erlang_c (no abandons measured: nobody hangs up)";
        return new IntradayOutlook(reforecast, needs, projection, model);
    }

    /// <summary>
    /// A whole day's need from its calls per open quarter hour: the agent-hours that meet the target in every quarter
    /// hour and the most agents any one of them needs.
    /// </summary>
    public static (double AgentHours, int PeakAgents) DayNeed(
        IEnumerable<double> callsPerQuarter, TimeSpan handleTime, TimeSpan? patience, double target, TimeSpan answerWithin)
    {
        ArgumentNullException.ThrowIfNull(callsPerQuarter);
        double hours = 0;
        var peak = 0;
        foreach (var calls in callsPerQuarter)
        {
            var agents = Agents(new Workload(calls, OpenQuarter.Length, handleTime), target, answerWithin, patience);
            hours += agents * OpenQuarter.Length.TotalHours;
            peak = Math.Max(peak, agents);
        }

        return (hours, peak);
    }

    /// <summary>The fewest agents whose service level meets <paramref name="target"/>: Erlang A with a patience, else Erlang C.</summary>
    public static int Agents(Workload workload, double target, TimeSpan answerWithin, TimeSpan? patience)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var erlangC = StaffingSolver.Solve(workload, new StaffingGoal(target, answerWithin)).Agents;
        if (patience is null || workload.Calls == 0)
        {
            return erlangC;
        }

        // Callers who hang up take load off the agents, so Erlang A usually needs fewer; but those who hang up
        // within the target time count as missed, so with very short patience it can need more. Walk up from
        // nothing, as far as twice Erlang C's figure.
        var limit = (2 * erlangC) + 20;
        for (var n = 0; n < limit; n++)
        {
            if (ErlangA.Evaluate(n, workload, patience.Value, answerWithin).ServiceLevel >= target - StaffingSolver.Tolerance)
            {
                return n;
            }
        }

        return limit;
    }

    /// <summary>The service level <paramref name="agents"/> give: Erlang A with a patience, else Erlang C.</summary>
    public static double ServiceLevel(int agents, Workload workload, TimeSpan answerWithin, TimeSpan? patience)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return patience is { } p && workload.Calls > 0
            ? ErlangA.Evaluate(agents, workload, p, answerWithin).ServiceLevel
            : ErlangC.ServiceLevel(agents, workload, answerWithin);
    }

    private static Reforecast Forecast(IntradayInputs inputs)
    {
        var inv = CultureInfo.InvariantCulture;
        var now = inputs.Now;
        var hasCurve = inputs.Quarters.Any(q => q.ExpectedCalls > 0);
        var expectedSoFar = inputs.Quarters
            .Where(q => q.Start < now)
            .Sum(q => q.ExpectedCalls * Math.Min(1, (now - q.Start) / OpenQuarter.Length));
        if (!hasCurve)
        {
            return new Reforecast("recent_rate", null, 0, inputs.OfferedSoFar, 0,
                string.Create(inv, $"no expected curve for this weekday: the last hour's {inputs.RecentCallsPerHour ?? 0:0.#} calls per hour held until closing"));
        }

        if (expectedSoFar < MinimumExpectedToScale)
        {
            return new Reforecast("curve", 1, expectedSoFar, inputs.OfferedSoFar, 0,
                string.Create(inv, $"expected curve as it stands: only {expectedSoFar:0.#} calls were expected so far, too few to compare today with"));
        }

        var factor = inputs.OfferedSoFar / expectedSoFar;
        return new Reforecast("curve_scaled", factor, expectedSoFar, inputs.OfferedSoFar, 0,
            string.Create(inv, $"expected curve × {factor:0.00} ({inputs.OfferedSoFar} calls today ÷ {expectedSoFar:0.#} expected so far)"));
    }
}
