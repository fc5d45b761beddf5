namespace Driftvy.Domain.Staffing;

/// <summary>What Erlang A says about a staffing: who waits, who gives up, who is answered in time.</summary>
/// <param name="ProbabilityOfWaiting">Share of callers who find every agent busy.</param>
/// <param name="ProbabilityOfAbandoning">Share of callers who hang up before they are answered.</param>
/// <param name="ServiceLevel">Share of all callers answered within the given time (those who hang up count as not answered).</param>
/// <param name="AverageWaitSeconds">Mean time in the queue over all callers, until answered or until they hang up.</param>
public sealed record ErlangAFigures(double ProbabilityOfWaiting, double ProbabilityOfAbandoning, double ServiceLevel, double AverageWaitSeconds);

/// <summary>
/// Erlang A (M/M/N+M): Erlang C with callers who hang up. Each caller's patience is exponential with the given
/// mean; whoever is still waiting when it runs out leaves the queue. Unlike Erlang C the queue stays finite with
/// fewer agents than Erlangs, and as patience grows the figures approach Erlang C's.
/// </summary>
/// <remarks>
/// Method. With n callers in the system the states form a birth–death chain: arrivals at rate λ, departures at
/// N·μ + (n − N)·θ once n ≥ N (μ = 1 ÷ handle time, θ = 1 ÷ mean patience). Relative to the state "all agents busy,
/// nobody waiting" the states below weigh 1/B − 1 (B the Erlang B value for N agents) and the queue states weigh
/// Π λ/(Nμ + jθ), summed in log space until they no longer count. The wait a caller would have if patient, V, has
/// the density N·μ·exp(λ(1 − e^(−θx))/θ − Nμx) ÷ (the chain's total weight) for x &gt; 0; a caller is answered within
/// t when V ≤ t and the caller's patience outlasts V, so the service level adds P(V = 0) and the integral of
/// e^(−θx) times that density from 0 to t, taken with Simpson's rule on steps much shorter than the integrand's
/// time scale.
/// </remarks>
public static class ErlangA
{
    /// <summary>Queue states beyond this many waiting callers are not followed (a patience of years, not minutes).</summary>
    private const int MaxQueueStates = 20_000_000;

    /// <summary>Erlang A's figures for <paramref name="agents"/> answering <paramref name="workload"/>.</summary>
    public static ErlangAFigures Evaluate(int agents, Workload workload, TimeSpan meanPatience, TimeSpan answerWithin)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        workload.Validate();
        if (meanPatience <= TimeSpan.Zero)
        {
            throw new StaffingInputException("patience_not_positive", "the mean patience must be longer than zero");
        }

        if (answerWithin < TimeSpan.Zero)
        {
            throw new StaffingInputException("seconds_negative", "the service-level time must be zero seconds or more");
        }

        var lambda = workload.ArrivalRate;
        if (lambda == 0)
        {
            return new ErlangAFigures(0, 0, 1, 0);
        }

        var theta = 1 / meanPatience.TotalSeconds;
        if (agents == 0)
        {
            // Nobody answers: every caller waits until their patience runs out.
            return new ErlangAFigures(1, 1, 0, meanPatience.TotalSeconds);
        }

        var serviceRate = agents / workload.HandleTime.TotalSeconds; // N·μ
        var b = ErlangC.ErlangB(agents, workload.Load);
        if (b == 0)
        {
            // So many agents per Erlang that the chance of finding them all busy is below the smallest double.
            return new ErlangAFigures(0, 0, 1, 0);
        }

        // Weight of the states with a free agent, relative to "all busy, nobody waiting": 1/B − 1.
        var lnIdle = Math.Log(1 - b) - Math.Log(b);

        // Queue states k = 0, 1, 2 … (k waiting): weight Π_{j≤k} λ/(Nμ + jθ), summed with a running maximum m
        // so that a long overload (weights far above 1) cannot overflow.
        double lnTerm = 0, m = 0, sum = 1, sumK = 0;
        for (var k = 1; ; k++)
        {
            lnTerm += Math.Log(lambda / (serviceRate + (k * theta)));
            if (lnTerm > m)
            {
                var scale = Math.Exp(m - lnTerm);
                sum *= scale;
                sumK *= scale;
                m = lnTerm;
            }

            var w = Math.Exp(lnTerm - m);
            sum += w;
            sumK += k * w;
            var pastPeak = serviceRate + (k * theta) > lambda;
            if (pastPeak && lnTerm < m - 45)
            {
                break;
            }

            if (k >= MaxQueueStates)
            {
                throw new StaffingInputException("patience_too_long", "the patience is too long for the queue to settle; use Erlang C");
            }
        }

        var lnQueue = m + Math.Log(sum);
        var lnWaitingWeighted = m + Math.Log(sumK);
        var lnTotal = LogAdd(lnIdle, lnQueue);

        var probabilityOfWaiting = Math.Exp(lnQueue - lnTotal);
        var meanQueueLength = Math.Exp(lnWaitingWeighted - lnTotal);
        var averageWait = meanQueueLength / lambda; // Little's law over every caller
        var probabilityOfAbandoning = theta * averageWait;

        var answeredAtOnce = Math.Exp(lnIdle - lnTotal);
        var t = answerWithin.TotalSeconds;
        var answeredAfterWaiting = t == 0 ? 0 : serviceRate * Simpson(x => Math.Exp(Exponent(x, lambda, theta, serviceRate) - (theta * x) - lnTotal), t, lambda + serviceRate + theta);
        var serviceLevel = Math.Clamp(answeredAtOnce + answeredAfterWaiting, 0, 1);
        return new ErlangAFigures(probabilityOfWaiting, probabilityOfAbandoning, serviceLevel, averageWait);
    }

    /// <summary>
    /// The mean patience a queue's own calls show: the time all callers spent waiting (answered and abandoned)
    /// divided by the number who hung up — the estimate for exponential patience. None without abandons.
    /// </summary>
    public static TimeSpan? EstimatePatience(long abandoned, double totalWaitSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(abandoned);
        ArgumentOutOfRangeException.ThrowIfNegative(totalWaitSeconds);
        return abandoned == 0 ? null : TimeSpan.FromSeconds(totalWaitSeconds / abandoned);
    }

    /// <summary>λ(1 − e^(−θx))/θ − Nμx, with expm1 so a tiny θ (great patience) keeps its precision.</summary>
    private static double Exponent(double x, double lambda, double theta, double serviceRate) =>
        (lambda * -double.ExpM1(-theta * x) / theta) - (serviceRate * x);

    private static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        if (double.IsNegativeInfinity(b))
        {
            return a;
        }

        var max = Math.Max(a, b);
        return max + Math.Log(1 + Math.Exp(-Math.Abs(a - b)));
    }

    /// <summary>Simpson's rule on [0, <paramref name="to"/>] with 32 steps per unit of the integrand's fastest rate.</summary>
    private static double Simpson(Func<double, double> f, double to, double fastestRate)
    {
        var steps = (int)Math.Min(4_000_000, Math.Max(64, Math.Ceiling(32 * to * fastestRate)));
        steps += steps % 2;
        var h = to / steps;
        var sum = f(0) + f(to);
        for (var i = 1; i < steps; i++)
        {
            sum += (i % 2 == 1 ? 4 : 2) * f(i * h);
        }

        return sum * h / 3;
    }
}
