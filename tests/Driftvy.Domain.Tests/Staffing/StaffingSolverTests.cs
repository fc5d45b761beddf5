using Driftvy.Domain.Staffing;

namespace Driftvy.Domain.Tests.Staffing;

public sealed class StaffingSolverTests
{
    private static readonly TimeSpan HalfHour = TimeSpan.FromMinutes(30);

    private static Workload Calls(double calls, TimeSpan interval, double handleSeconds) => new(calls, interval, TimeSpan.FromSeconds(handleSeconds));

    private static StaffingGoal Target(double serviceLevel, double seconds, double shrinkage = 0, double maxOccupancy = 1) =>
        new(serviceLevel, TimeSpan.FromSeconds(seconds), null, maxOccupancy, shrinkage);

    [Fact]
    public void Solve_PublishedCase_FourteenAgentsAndItsFigures()
    {
        var need = StaffingSolver.Solve(Calls(100, HalfHour, 180), Target(0.8, 20));

        Assert.Equal(14, need.Agents);
        Assert.Equal(14, need.ScheduledAgents);
        Assert.Equal(0.888, need.ServiceLevel!.Value, 3);
        Assert.Equal(7.84, need.AsaSeconds, 2);
        Assert.Equal(0.714, need.Occupancy, 3);
        Assert.Equal(0.174, need.ProbabilityOfWaiting, 3);
    }

    [Fact]
    public void Solve_PublishedCaseThirteenAgents_WouldMissTheTarget()
    {
        // The answer is the fewest: one agent fewer misses 80 %.
        var sl = ErlangC.ServiceLevel(13, Calls(100, HalfHour, 180), TimeSpan.FromSeconds(20));

        Assert.True(sl < 0.8, $"13 agents give {sl}");
    }

    [Fact]
    public void Solve_PublishedCaseWithThirtyPercentShrinkage_TwentyScheduled()
    {
        var need = StaffingSolver.Solve(Calls(100, HalfHour, 180), Target(0.8, 20, shrinkage: 0.3));

        Assert.Equal(14, need.Agents);
        Assert.Equal(20, need.ScheduledAgents);
    }

    [Theory]
    // calls, interval (s), handle (s), target, seconds → agents and service level, from exact factorial sums
    // computed by hand outside the repository.
    [InlineData(300, 900, 240, 0.85, 60, 85, 0.8639583292564222)]
    [InlineData(1200, 3600, 300, 0.90, 30, 110, 0.9128098132416943)]
    public void Solve_OwnCases_AgreeWithExactArithmetic(double calls, double intervalSeconds, double handle, double target, double seconds, int agents, double serviceLevel)
    {
        var need = StaffingSolver.Solve(Calls(calls, TimeSpan.FromSeconds(intervalSeconds), handle), Target(target, seconds));

        Assert.Equal(agents, need.Agents);
        Assert.Equal(serviceLevel, need.ServiceLevel!.Value, 10);
    }

    [Fact]
    public void Solve_AverageSpeedOfAnswerLimit_FewestAgentsUnderIt()
    {
        var workload = Calls(50, HalfHour, 420);
        var need = StaffingSolver.Solve(workload, new StaffingGoal(null, null, TimeSpan.FromSeconds(15)));

        Assert.Equal(17, need.Agents);
        Assert.Equal(8.142486691275948, need.AsaSeconds, 9);
        Assert.Null(need.ServiceLevel);
        Assert.True(ErlangC.AverageSpeedOfAnswerSeconds(16, workload) > 15, "16 agents would be enough");
    }

    [Fact]
    public void Solve_ServiceLevelAndAsaTogether_BothHold()
    {
        // 80 % in 20 s alone needs 14; an average of at most 3 s needs more.
        var need = StaffingSolver.Solve(Calls(100, HalfHour, 180), new StaffingGoal(0.8, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(3)));

        Assert.True(need.AsaSeconds <= 3, $"ASA {need.AsaSeconds}");
        Assert.True(ErlangC.AverageSpeedOfAnswerSeconds(need.Agents - 1, Calls(100, HalfHour, 180)) > 3);
        Assert.Equal(16, need.Agents);
    }

    [Fact]
    public void Solve_OccupancyLimit_AddsAgentsBeyondTheServiceLevel()
    {
        // 30 Erlangs: 80 % in 20 s alone needs fewer than the 36 that keep occupancy at most 85 % (30 ÷ 0.85 = 35.3).
        var need = StaffingSolver.Solve(Calls(300, HalfHour, 180), Target(0.8, 20, maxOccupancy: 0.85));

        Assert.Equal(36, need.Agents);
        Assert.Equal(0.8912133853466575, need.ServiceLevel!.Value, 10);
        Assert.True(need.Occupancy <= 0.85);
        Assert.True(StaffingSolver.Solve(Calls(300, HalfHour, 180), Target(0.8, 20)).Agents < 36);
    }

    [Fact]
    public void Solve_NoCalls_NoAgents()
    {
        var need = StaffingSolver.Solve(Calls(0, HalfHour, 180), Target(0.8, 20, shrinkage: 0.3));

        Assert.Equal(new StaffingNeed(0, 0, 1, 0, 0, 0), need);
    }

    [Fact]
    public void Solve_TargetOfHundredPercent_ReadAsAllButOneInAThousandMillion()
    {
        var need = StaffingSolver.Solve(Calls(100, HalfHour, 180), Target(1.0, 20));

        // From exact factorial sums: 33 agents leave 5.8e-10 of callers waiting longer; 32 leave more than 1e-9.
        Assert.Equal(33, need.Agents);
        Assert.True(1 - need.ServiceLevel!.Value <= StaffingSolver.Tolerance);
        Assert.True(1 - ErlangC.ServiceLevel(32, Calls(100, HalfHour, 180), TimeSpan.FromSeconds(20)) > StaffingSolver.Tolerance);
    }

    [Fact]
    public void Solve_TwoThousandErlangs_StableAndJustAboveTheLoad()
    {
        // 40 000 calls an hour at 180 s: 2 000 Erlangs. Large queues need few agents beyond the load.
        var workload = Calls(40_000, TimeSpan.FromHours(1), 180);
        var need = StaffingSolver.Solve(workload, Target(0.8, 20));

        Assert.InRange(need.Agents, 2001, 2030);
        Assert.True(need.ServiceLevel >= 0.8);
        Assert.True(ErlangC.ServiceLevel(need.Agents - 1, workload, TimeSpan.FromSeconds(20)) < 0.8);
        Assert.True(double.IsFinite(need.AsaSeconds) && need.Occupancy is > 0.98 and < 1);
    }

    [Fact]
    public void Solve_EighteenHundredErlangs_AgreesWithExactArithmetic()
    {
        // 36 000 calls an hour at 180 s; exact factorial sums give 1 812 agents.
        var need = StaffingSolver.Solve(Calls(36_000, TimeSpan.FromHours(1), 180), Target(0.8, 20));

        Assert.Equal(1812, need.Agents);
    }

    [Fact]
    public void Solve_LoadAboveAnyStaffingGiven_StillAnswersAboveTheLoad()
    {
        // The solver never answers with N ≤ A, where the queue would grow without end.
        var need = StaffingSolver.Solve(Calls(100, HalfHour, 180), Target(0, 20));

        Assert.Equal(11, need.Agents);
    }

    [Theory]
    [InlineData(100, 0, 180, 0.8, "interval_not_positive")]
    [InlineData(-1, 1800, 180, 0.8, "calls_negative")]
    [InlineData(100, 1800, 180, 1.01, "target_out_of_range")]
    [InlineData(100, 1800, 0, 0.8, "handle_time_zero")]
    public void Solve_ImpossibleInput_ThrowsWithCode(double calls, double intervalSeconds, double handle, double target, string code)
    {
        var ex = Assert.Throws<StaffingInputException>(() => StaffingSolver.Solve(Calls(calls, TimeSpan.FromSeconds(intervalSeconds), handle), Target(target, 20)));

        Assert.Equal(code, ex.Code);
    }

    [Fact]
    public void Solve_OccupancyLimitOfZeroWithCalls_CanNeverBeMet()
    {
        var ex = Assert.Throws<StaffingInputException>(() => StaffingSolver.Solve(Calls(100, HalfHour, 180), Target(0.8, 20, maxOccupancy: 0)));

        Assert.Equal("max_occupancy_unreachable", ex.Code);
    }

    [Fact]
    public void Solve_NoGoal_Throws()
    {
        var ex = Assert.Throws<StaffingInputException>(() => StaffingSolver.Solve(Calls(100, HalfHour, 180), new StaffingGoal(null, TimeSpan.FromSeconds(20))));

        Assert.Equal("goal_missing", ex.Code);
    }

    [Fact]
    public void Solve_LoadBeyondTheSolversRange_Throws()
    {
        var ex = Assert.Throws<StaffingInputException>(() => StaffingSolver.Solve(Calls(1e9, HalfHour, 180), Target(0.8, 20)));

        Assert.Equal("load_too_large", ex.Code);
    }

    [Theory]
    [InlineData(14, 0.3, 20)]
    [InlineData(14, 0, 14)]
    [InlineData(10, 0.35, 16)]
    [InlineData(0, 0.5, 0)]
    public void Scheduled_Shrinkage_RoundsUpWithoutFloatingPointCreep(int agents, double shrinkage, int scheduled)
    {
        Assert.Equal(scheduled, StaffingSolver.Scheduled(agents, shrinkage));
    }
}
