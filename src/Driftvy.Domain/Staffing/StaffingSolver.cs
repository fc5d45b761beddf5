namespace Driftvy.Domain.Staffing;

/// <summary>
/// What the staffing must achieve. At least one of <see cref="ServiceLevel"/> and <see cref="MaxAverageSpeedOfAnswer"/>
/// is given; when both are, both must hold.
/// </summary>
/// <param name="ServiceLevel">Share of callers to answer within <paramref name="AnswerWithin"/> (0–1), e.g. 0.8.</param>
/// <param name="AnswerWithin">The service-level time, e.g. 20 s; also the time the answer's service level is given for.</param>
/// <param name="MaxAverageSpeedOfAnswer">Longest acceptable average speed of answer, or none.</param>
/// <param name="MaxOccupancy">Highest acceptable share of time on calls (0–1]; 1 = no limit beyond the queue's own.</param>
/// <param name="Shrinkage">Share of paid time not on the phones (breaks, meetings, training, sick leave), [0–1).</param>
public sealed record StaffingGoal(
    double? ServiceLevel, TimeSpan? AnswerWithin, TimeSpan? MaxAverageSpeedOfAnswer = null, double MaxOccupancy = 1, double Shrinkage = 0)
{
    /// <summary>Throws <see cref="StaffingInputException"/> when no staffing could meet the goal.</summary>
    public void Validate()
    {
        if (ServiceLevel is null && MaxAverageSpeedOfAnswer is null)
        {
            throw new StaffingInputException("goal_missing", "give a service-level target, a longest average speed of answer, or both");
        }

        if (ServiceLevel is { } sl && (double.IsNaN(sl) || sl < 0 || sl > 1))
        {
            throw new StaffingInputException("target_out_of_range", "the service-level target must be between 0 and 100 %");
        }

        if (ServiceLevel is not null && AnswerWithin is null)
        {
            throw new StaffingInputException("seconds_missing", "a service-level target needs the time it counts within");
        }

        if (AnswerWithin is { } t && t < TimeSpan.Zero)
        {
            throw new StaffingInputException("seconds_negative", "the service-level time must be zero seconds or more");
        }

        if (MaxAverageSpeedOfAnswer is { } asa && asa <= TimeSpan.Zero)
        {
            // Some callers always wait while there are calls, so an average of 0 s can never be met.
            throw new StaffingInputException("asa_not_positive", "the longest average speed of answer must be longer than zero");
        }

        if (double.IsNaN(MaxOccupancy) || MaxOccupancy > 1 || MaxOccupancy < 0)
        {
            throw new StaffingInputException("max_occupancy_out_of_range", "the occupancy limit must be between 0 and 100 %");
        }

        if (double.IsNaN(Shrinkage) || Shrinkage < 0 || Shrinkage >= 1)
        {
            throw new StaffingInputException("shrinkage_out_of_range", "shrinkage must be at least 0 % and below 100 %");
        }
    }
}

/// <summary>
/// Agents needed and what they achieve: <see cref="Agents"/> on the phones, <see cref="ScheduledAgents"/> to
/// schedule once shrinkage is allowed for. The figures are Erlang C's for <see cref="Agents"/>.
/// </summary>
/// <param name="Agents">Agents answering calls.</param>
/// <param name="ScheduledAgents">Agents to schedule: ⌈agents ÷ (1 − shrinkage)⌉.</param>
/// <param name="ServiceLevel">Share answered within the goal's time (null when the goal gives no time).</param>
/// <param name="AsaSeconds">Average speed of answer over all callers, seconds.</param>
/// <param name="Occupancy">Share of the agents' time on calls.</param>
/// <param name="ProbabilityOfWaiting">Share of callers who wait at all.</param>
public sealed record StaffingNeed(
    int Agents, int ScheduledAgents, double? ServiceLevel, double AsaSeconds, double Occupancy, double ProbabilityOfWaiting);

/// <summary>
/// The fewest agents that meet a <see cref="StaffingGoal"/> under Erlang C. Walks up from the smallest staffing
/// that can carry the load (more agents than Erlangs, and enough for the occupancy limit), advancing the Erlang B
/// recursion one agent at a time, so a solve costs one pass of a few operations per agent: about 2 000 steps for a
/// load of 2 000 Erlangs.
/// </summary>
public static class StaffingSolver
{
    /// <summary>The largest staffing the solver looks for; more is not a queue but a typing error.</summary>
    public const int MaxAgents = 1_000_000;

    /// <summary>
    /// Rounding allowance: a target counts as met when the figure misses it by at most this much. So a target of
    /// 100 % is read as "all but one caller in a thousand million", since under Erlang C a caller can always be
    /// unlucky and no finite staffing reaches exactly 100 %.
    /// </summary>
    public const double Tolerance = 1e-9;

    /// <summary>Solves for the fewest agents; throws <see cref="StaffingInputException"/> for impossible input.</summary>
    public static StaffingNeed Solve(Workload workload, StaffingGoal goal)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(goal);
        workload.Validate();
        goal.Validate();
        var load = workload.Load;
        if (load == 0)
        {
            return new StaffingNeed(0, 0, goal.AnswerWithin is null ? null : 1, 0, 0, 0);
        }

        if (goal.MaxOccupancy == 0)
        {
            throw new StaffingInputException("max_occupancy_unreachable", "calls keep agents busy some of the time: an occupancy limit of 0 % can never be met");
        }

        // Fewest agents that can carry the load at all (N > A) and within the occupancy limit (A ÷ N ≤ limit).
        var byOccupancy = Math.Ceiling((load / goal.MaxOccupancy) - Tolerance);
        var first = Math.Max(Math.Floor(load) + 1, byOccupancy);
        if (first > MaxAgents)
        {
            throw new StaffingInputException("load_too_large", $"the load needs more than {MaxAgents} agents");
        }

        var handle = workload.HandleTime.TotalSeconds;
        var within = goal.AnswerWithin?.TotalSeconds;
        var b = 1.0;
        for (var n = 1; n <= MaxAgents; n++)
        {
            b = load * b / (n + (load * b));
            if (n < first)
            {
                continue;
            }

            var c = ErlangC.FromErlangB(n, load, b);
            var asa = ErlangC.AsaSeconds(n, load, c, handle);
            double? sl = within is { } t ? ErlangC.ServiceLevel(n, load, c, handle, t) : null;
            var meetsServiceLevel = goal.ServiceLevel is not { } target || sl >= target - Tolerance;
            var meetsAsa = goal.MaxAverageSpeedOfAnswer is not { } limit || asa <= limit.TotalSeconds + Tolerance;
            if (meetsServiceLevel && meetsAsa)
            {
                return new StaffingNeed(n, Scheduled(n, goal.Shrinkage), sl, asa, load / n, c);
            }
        }

        throw new StaffingInputException("load_too_large", $"the goal needs more than {MaxAgents} agents");
    }

    /// <summary>Agents to schedule so that <paramref name="agents"/> remain on the phones after shrinkage.</summary>
    public static int Scheduled(int agents, double shrinkage)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        if (double.IsNaN(shrinkage) || shrinkage < 0 || shrinkage >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(shrinkage), shrinkage, "shrinkage must be in [0, 1)");
        }

        // 14 ÷ 0.7 is 20.000000000000004 in binary floating point: allow for that before rounding up.
        return (int)Math.Ceiling((agents / (1 - shrinkage)) - Tolerance);
    }
}
