using Driftvy.Domain.Staffing;

namespace Driftvy.Domain.Tests.Staffing;

public sealed class ErlangCTests
{
    // The published worked example: 100 calls in 30 minutes, 180 s handling.
    private static readonly Workload Published = new(100, TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(180));

    [Fact]
    public void Load_PublishedCase_IsTenErlangs()
    {
        Assert.Equal(10, Published.Load, 12);
    }

    [Fact]
    public void Figures_PublishedCaseWithFourteenAgents_MatchThePublishedValues()
    {
        Assert.Equal(0.174, ErlangC.ProbabilityOfWaiting(14, Published.Load), 3);
        Assert.Equal(0.888, ErlangC.ServiceLevel(14, Published, TimeSpan.FromSeconds(20)), 3);
        Assert.Equal(7.84, ErlangC.AverageSpeedOfAnswerSeconds(14, Published), 2);
        Assert.Equal(0.714, ErlangC.Occupancy(14, Published.Load), 3);
    }

    [Fact]
    public void Figures_PublishedCase_AgreeWithExactFactorialSumsToTenDigits()
    {
        // From the factorial sums in exact rational arithmetic, computed by hand outside the repository.
        Assert.Equal(0.17413193359504983, ErlangC.ProbabilityOfWaiting(14, Published.Load), 10);
        Assert.Equal(0.8883500191794669, ErlangC.ServiceLevel(14, Published, TimeSpan.FromSeconds(20)), 10);
        Assert.Equal(7.835937011777243, ErlangC.AverageSpeedOfAnswerSeconds(14, Published), 9);
    }

    [Fact]
    public void ErlangB_OneAgent_IsLoadOverOnePlusLoad()
    {
        Assert.Equal(2.0 / 3.0, ErlangC.ErlangB(1, 2), 14);
    }

    [Fact]
    public void ErlangB_TwoThousandAgentsAtNinetyPercent_IsFiniteAndSmall()
    {
        var b = ErlangC.ErlangB(2000, 1800);

        Assert.True(double.IsFinite(b) && b > 0 && b < 1e-3, $"B = {b}");
    }

    [Fact]
    public void ProbabilityOfWaiting_LoadAtOrAboveAgents_IsOne()
    {
        Assert.Equal(1, ErlangC.ProbabilityOfWaiting(10, 10));
        Assert.Equal(1, ErlangC.ProbabilityOfWaiting(9, 12.5));
    }

    [Fact]
    public void Figures_LoadAboveAgents_QueueGrowsWithoutEnd()
    {
        var w = new Workload(120, TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(180)); // 12 Erlangs

        Assert.Equal(0, ErlangC.ServiceLevel(11, w, TimeSpan.FromSeconds(20)));
        Assert.True(double.IsPositiveInfinity(ErlangC.AverageSpeedOfAnswerSeconds(11, w)));
        Assert.Equal(TimeSpan.MaxValue, ErlangC.AverageSpeedOfAnswer(11, w));
        Assert.Equal(1, ErlangC.Occupancy(11, w.Load));
    }

    [Fact]
    public void Figures_NoCalls_NobodyWaits()
    {
        var w = new Workload(0, TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(180));

        Assert.Equal(0, ErlangC.ProbabilityOfWaiting(3, w.Load));
        Assert.Equal(1, ErlangC.ServiceLevel(3, w, TimeSpan.FromSeconds(20)));
        Assert.Equal(0, ErlangC.AverageSpeedOfAnswerSeconds(3, w));
        Assert.Equal(0, ErlangC.Occupancy(3, w.Load));
    }

    [Fact]
    public void ServiceLevel_MoreAgents_NeverFalls()
    {
        var previous = 0.0;
        for (var n = 11; n <= 40; n++)
        {
            var sl = ErlangC.ServiceLevel(n, Published, TimeSpan.FromSeconds(20));
            Assert.True(sl >= previous, $"{n} agents: {sl} below {previous}");
            previous = sl;
        }
    }

    [Fact]
    public void ErlangB_NegativeLoad_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.ErlangB(3, -1));
    }
}
