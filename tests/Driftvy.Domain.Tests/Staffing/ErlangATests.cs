using Driftvy.Domain.Staffing;

namespace Driftvy.Domain.Tests.Staffing;

public sealed class ErlangATests
{
    private static readonly Workload Published = new(100, TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(180));
    private static readonly TimeSpan Twenty = TimeSpan.FromSeconds(20);

    [Fact]
    public void Evaluate_FourteenAgentsTwoMinutesPatience_AgreesWithAnIndependentChain()
    {
        // Computed by hand outside the repository from the truncated birth–death chain and a uniformised chain
        // of one caller's wait (no density formula).
        var a = ErlangA.Evaluate(14, Published, TimeSpan.FromSeconds(120), Twenty);

        Assert.Equal(0.12697634007979516, a.ProbabilityOfWaiting, 9);
        Assert.Equal(0.022839286531818725, a.ProbabilityOfAbandoning, 9);
        Assert.Equal(0.9327295806980597, a.ServiceLevel, 7);
        Assert.Equal(2.740714383818247, a.AverageWaitSeconds, 7);
    }

    [Fact]
    public void Evaluate_FewerAgentsThanErlangs_QueueStaysFiniteBecauseCallersHangUp()
    {
        // Ten agents for ten Erlangs: Erlang C has no answer; Erlang A does.
        var a = ErlangA.Evaluate(10, Published, TimeSpan.FromSeconds(120), Twenty);

        Assert.Equal(0.49685274763014114, a.ProbabilityOfWaiting, 9);
        Assert.Equal(0.13746382627644954, a.ProbabilityOfAbandoning, 9);
        Assert.Equal(0.639941307035988, a.ServiceLevel, 7);
        Assert.Equal(16.495659153173946, a.AverageWaitSeconds, 7);
    }

    [Theory]
    [InlineData(1e3)]
    [InlineData(1e4)]
    [InlineData(1e5)]
    [InlineData(1e6)]
    public void Evaluate_PatienceGrows_ApproachesErlangC(double patienceSeconds)
    {
        var c = ErlangC.ProbabilityOfWaiting(14, Published.Load);
        var slC = ErlangC.ServiceLevel(14, Published, Twenty);
        var a = ErlangA.Evaluate(14, Published, TimeSpan.FromSeconds(patienceSeconds), Twenty);

        // The gap shrinks in proportion to 1/patience: within 20 s ÷ patience here.
        var bound = 20 / patienceSeconds;
        Assert.True(Math.Abs(a.ProbabilityOfWaiting - c) < bound, $"P(wait) {a.ProbabilityOfWaiting} vs {c}");
        Assert.True(Math.Abs(a.ServiceLevel - slC) < bound, $"SL {a.ServiceLevel} vs {slC}");
        Assert.True(a.ProbabilityOfAbandoning < bound, $"P(abandon) {a.ProbabilityOfAbandoning}");
    }

    [Fact]
    public void Evaluate_PatienceGrows_GapToErlangCShrinksEveryTime()
    {
        var slC = ErlangC.ServiceLevel(14, Published, Twenty);
        var gaps = new[] { 60.0, 600, 6000, 60000 }
            .Select(p => Math.Abs(ErlangA.Evaluate(14, Published, TimeSpan.FromSeconds(p), Twenty).ServiceLevel - slC))
            .ToList();

        for (var i = 1; i < gaps.Count; i++)
        {
            Assert.True(gaps[i] < gaps[i - 1], $"gaps {string.Join(", ", gaps)}");
        }
    }

    [Fact]
    public void Evaluate_NoCalls_NobodyWaits()
    {
        var a = ErlangA.Evaluate(3, new Workload(0, TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(180)), TimeSpan.FromMinutes(2), Twenty);

        Assert.Equal(new ErlangAFigures(0, 0, 1, 0), a);
    }

    [Fact]
    public void Evaluate_NoAgents_EveryoneHangsUp()
    {
        var a = ErlangA.Evaluate(0, Published, TimeSpan.FromMinutes(2), Twenty);

        Assert.Equal(new ErlangAFigures(1, 1, 0, 120), a);
    }

    [Fact]
    public void Evaluate_TwoThousandAgents_StableAndCloseToErlangC()
    {
        // 1 800 Erlangs, 1 812 agents, two minutes' patience: the figures stay finite and in range.
        var w = new Workload(36_000, TimeSpan.FromHours(1), TimeSpan.FromSeconds(180));
        var a = ErlangA.Evaluate(1812, w, TimeSpan.FromMinutes(2), Twenty);

        Assert.InRange(a.ProbabilityOfWaiting, 0, ErlangC.ProbabilityOfWaiting(1812, w.Load));
        Assert.InRange(a.ServiceLevel, ErlangC.ServiceLevel(1812, w, Twenty), 1);
        Assert.InRange(a.ProbabilityOfAbandoning, 0, 0.05);
    }

    [Fact]
    public void Evaluate_ZeroSeconds_ServiceLevelIsShareAnsweredAtOnce()
    {
        var a = ErlangA.Evaluate(14, Published, TimeSpan.FromSeconds(120), TimeSpan.Zero);

        Assert.Equal(1 - a.ProbabilityOfWaiting, a.ServiceLevel, 12);
    }

    [Fact]
    public void EstimatePatience_WaitSecondsOverAbandons()
    {
        Assert.Equal(TimeSpan.FromSeconds(150), ErlangA.EstimatePatience(4, 600));
        Assert.Null(ErlangA.EstimatePatience(0, 600));
    }
}
