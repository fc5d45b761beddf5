namespace Driftvy.Domain.Staffing;

/// <summary>
/// Erlang C (M/M/N): calls arrive at random, handle times are exponential, nobody hangs up, and a caller who finds
/// every agent busy waits in one queue served first come, first served. Every figure is computed from the Erlang B
/// value by its recursion B(n) = A·B(n−1) / (n + A·B(n−1)), which stays between 0 and 1 for any n, so thousands
/// of agents need neither factorials nor powers.
/// </summary>
public static class ErlangC
{
    /// <summary>Erlang B: the probability that all <paramref name="agents"/> are busy when nobody may wait.</summary>
    public static double ErlangB(int agents, double load)
    {
        CheckArguments(agents, load);
        var b = 1.0;
        for (var n = 1; n <= agents; n++)
        {
            b = load * b / (n + (load * b));
        }

        return b;
    }

    /// <summary>
    /// The probability that a caller has to wait (Erlang C). With no more agents than the load (N ≤ A) the queue
    /// grows without end and every caller waits: 1.
    /// </summary>
    public static double ProbabilityOfWaiting(int agents, double load)
    {
        CheckArguments(agents, load);
        return load == 0 ? 0 : agents <= load ? 1 : FromErlangB(agents, load, ErlangB(agents, load));
    }

    /// <summary>C from B for the same N and A (N &gt; A): C = N·B / (N − A·(1 − B)).</summary>
    internal static double FromErlangB(int agents, double load, double erlangB) =>
        agents * erlangB / (agents - (load * (1 - erlangB)));

    /// <summary>
    /// The share of callers answered within <paramref name="answerWithin"/>: 1 − C·e^(−(N − A)·t / handle time).
    /// 0 when N ≤ A (the queue grows without end); 1 when there are no calls.
    /// </summary>
    public static double ServiceLevel(int agents, Workload workload, TimeSpan answerWithin)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var load = workload.Load;
        CheckArguments(agents, load);
        if (load == 0)
        {
            return 1;
        }

        return agents <= load ? 0 : ServiceLevel(agents, load, ProbabilityOfWaiting(agents, load), workload.HandleTime.TotalSeconds, answerWithin.TotalSeconds);
    }

    internal static double ServiceLevel(int agents, double load, double probabilityOfWaiting, double handleSeconds, double answerWithinSeconds) =>
        1 - (probabilityOfWaiting * Math.Exp(-(agents - load) * answerWithinSeconds / handleSeconds));

    /// <summary>
    /// Average speed of answer over all callers (those answered at once count with 0 s): C · handle time ÷ (N − A).
    /// Infinite when N ≤ A.
    /// </summary>
    public static TimeSpan AverageSpeedOfAnswer(int agents, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var seconds = AverageSpeedOfAnswerSeconds(agents, workload);
        return double.IsPositiveInfinity(seconds) ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>As <see cref="AverageSpeedOfAnswer"/>, in seconds (positive infinity when N ≤ A).</summary>
    public static double AverageSpeedOfAnswerSeconds(int agents, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var load = workload.Load;
        CheckArguments(agents, load);
        if (load == 0)
        {
            return 0;
        }

        return agents <= load ? double.PositiveInfinity : AsaSeconds(agents, load, ProbabilityOfWaiting(agents, load), workload.HandleTime.TotalSeconds);
    }

    internal static double AsaSeconds(int agents, double load, double probabilityOfWaiting, double handleSeconds) =>
        probabilityOfWaiting * handleSeconds / (agents - load);

    /// <summary>The share of logged-in time agents spend on calls: A ÷ N, at most 1 (with N ≤ A every agent is always busy).</summary>
    public static double Occupancy(int agents, double load)
    {
        CheckArguments(agents, load);
        return load == 0 ? 0 : Math.Min(1, load / agents);
    }

    private static void CheckArguments(int agents, double load)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        if (double.IsNaN(load) || double.IsInfinity(load) || load < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(load), load, "the load must be a finite number of Erlangs, zero or more");
        }
    }
}
