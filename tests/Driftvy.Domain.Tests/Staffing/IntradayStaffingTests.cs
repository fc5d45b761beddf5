using Driftvy.Domain.Staffing;

namespace Driftvy.Domain.Tests.Staffing;

public sealed class IntradayStaffingTests
{
    // Opening hours 08:00–18:00 as UTC quarter hours of an arbitrary day (the method knows no calendar).
    private static readonly DateTimeOffset Opening = new(2026, 10, 15, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Aht = TimeSpan.FromSeconds(180);

    private static List<OpenQuarter> Flat(double perQuarter) =>
        [.. Enumerable.Range(0, 40).Select(i => new OpenQuarter(Opening.AddMinutes(15 * i), perQuarter))];

    private static IntradayInputs Inputs(
        DateTimeOffset now, long offered, double inTime, double counted, int? agents, double perQuarter = 10, TimeSpan? patience = null, double? recent = null) =>
        new(Flat(perQuarter), now, offered, inTime, counted, Aht, patience, 0.85, Minute, agents, recent);

    [Fact]
    public void Outlook_BusierThanExpected_CurveScaledByActualOverExpected()
    {
        // 10:30: ten quarter hours of 10 expected calls are behind, 120 came: the rest is expected × 1.2.
        var o = IntradayStaffing.Outlook(Inputs(Opening.AddHours(2.5), 120, 100, 115, agents: 11));

        Assert.Equal("curve_scaled", o.Reforecast.Method);
        Assert.Equal(100, o.Reforecast.ExpectedSoFar, 9);
        Assert.Equal(1.2, o.Reforecast.Factor!.Value, 12);
        Assert.Equal(30, o.Quarters.Count);
        Assert.All(o.Quarters, q => Assert.Equal(12, q.Calls, 9));
        Assert.Equal(360, o.Reforecast.RestOfDayCalls, 9);
        Assert.Contains("× 1.20", o.Reforecast.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Outlook_MidQuarter_CountsThePartOfTheQuarterGoneByOnBothSides()
    {
        // 10:37:30: half the 10:30 quarter is gone, so 105 were expected; half of it is still ahead.
        var o = IntradayStaffing.Outlook(Inputs(Opening.AddHours(2.5).AddMinutes(7.5), 105, 100, 105, agents: 11));

        Assert.Equal(105, o.Reforecast.ExpectedSoFar, 9);
        Assert.Equal(1, o.Reforecast.Factor!.Value, 12);
        Assert.Equal(0.125, o.Quarters[0].Hours, 12);
        Assert.Equal(5, o.Quarters[0].Calls, 9);
        Assert.Equal(0.25, o.Quarters[1].Hours, 12);
        Assert.Equal(295, o.Reforecast.RestOfDayCalls, 9);
    }

    [Fact]
    public void Outlook_TooFewCallsExpectedYet_CurveUsedAsItStands()
    {
        // 08:05: a third of 10 calls expected; the one call that came says nothing about the day.
        var o = IntradayStaffing.Outlook(Inputs(Opening.AddMinutes(5), 1, 1, 1, agents: 5));

        Assert.Equal("curve", o.Reforecast.Method);
        Assert.Equal(1, o.Reforecast.Factor);
        Assert.Equal(10.0 * 2 / 3, o.Quarters[0].Calls, 9);
    }

    [Fact]
    public void Outlook_NoExpectedCurve_LastHoursRateHeld()
    {
        var o = IntradayStaffing.Outlook(Inputs(Opening.AddHours(2.5), 120, 100, 115, agents: 11, perQuarter: 0, recent: 48));

        Assert.Equal("recent_rate", o.Reforecast.Method);
        Assert.Null(o.Reforecast.Factor);
        Assert.All(o.Quarters, q => Assert.Equal(12, q.Calls, 9));
    }

    [Fact]
    public void Outlook_AmpleStaffing_DayEndsAtSoFarPlusEveryCallToComeAnsweredInTime()
    {
        // 200 agents for 2 Erlangs answer every call at once: the day ends at (80 + 360) ÷ (100 + 360).
        var o = IntradayStaffing.Outlook(Inputs(Opening.AddHours(2.5), 120, 80, 100, agents: 200));

        Assert.Equal(0.8, o.Projection.ServiceLevelSoFar!.Value, 12);
        Assert.Equal(440.0 / 460, o.Projection.ProjectedServiceLevel!.Value, 9);
        Assert.False(o.Projection.MissesTarget);
        Assert.Equal(200 * 7.5, o.Projection.AgentHoursAsStaffed!.Value, 9);
    }

    [Fact]
    public void Outlook_TooFewAgents_ProjectedToMissAndTheAgentHoursToReachTheTargetSaid()
    {
        // 12 calls a quarter hour × 180 s = 2.4 Erlangs; 2 agents cannot carry it (Erlang C: none in time).
        var o = IntradayStaffing.Outlook(Inputs(Opening.AddHours(2.5), 120, 70, 100, agents: 2));

        Assert.Equal(70.0 / 460, o.Projection.ProjectedServiceLevel!.Value, 9);
        Assert.True(o.Projection.MissesTarget);
        // The rest of the day must reach (0.85 × 460 − 70) ÷ 360 to bring the day to 85 %.
        var required = ((0.85 * 460) - 70) / 360;
        Assert.Equal(required, o.Projection.RequiredRestOfDay!.Value, 12);
        Assert.True(o.Projection.Reachable);
        var perQuarter = new Workload(12, OpenQuarter.Length, Aht);
        var needed = StaffingSolver.Solve(perQuarter, new StaffingGoal(0.85, Minute)).Agents;
        var forDay = StaffingSolver.Solve(perQuarter, new StaffingGoal(required, Minute)).Agents;
        Assert.True(forDay >= needed, $"catching up on the morning needs at least the target's {needed} agents, got {forDay}");
        Assert.All(o.Quarters, q => Assert.Equal(needed, q.AgentsNeeded));
        Assert.All(o.Quarters, q => Assert.Equal(forDay, q.AgentsForDayTarget));
        Assert.Equal(needed * 7.5, o.Projection.AgentHoursNeeded, 9);
        Assert.Equal(forDay * 7.5, o.Projection.AgentHoursForDayTarget!.Value, 9);
    }

    [Fact]
    public void Outlook_ReadmeWorkedExample_EndsAt80Point3AndNeeds37AndAHalfAgentHours()
    {
        // The README's example: 120 calls where 100 were expected, 70 of 100 in time, 4 agents answering.
        var o = IntradayStaffing.Outlook(Inputs(Opening.AddHours(2.5), 120, 70, 100, agents: 4));

        Assert.Equal(360, o.Reforecast.RestOfDayCalls, 9);
        Assert.All(o.Quarters, q => Assert.Equal(5, q.AgentsNeeded));
        Assert.All(o.Quarters, q => Assert.Equal(0.832, q.ServiceLevelAsStaffed!.Value, 3));
        Assert.Equal(0.803, o.Projection.ProjectedServiceLevel!.Value, 3);
        Assert.True(o.Projection.MissesTarget);
        Assert.Equal(0.892, o.Projection.RequiredRestOfDay!.Value, 3);
        Assert.Equal(37.5, o.Projection.AgentHoursForDayTarget!.Value, 9);
        Assert.Equal(30, o.Projection.AgentHoursAsStaffed!.Value, 9);
    }

    [Fact]
    public void Outlook_MorningTooFarBehind_TargetOutOfReach()
    {
        // 0 of 1 000 in time and 10 calls to come: even all of them in time leaves the day near 1 %.
        var o = IntradayStaffing.Outlook(Inputs(Opening.AddHours(9.75), 1000, 0, 1000, agents: 5, perQuarter: 10));

        Assert.False(o.Projection.Reachable);
        Assert.True(o.Projection.RequiredRestOfDay > 1);
        Assert.Null(o.Projection.AgentHoursForDayTarget);
        Assert.All(o.Quarters, q => Assert.Null(q.AgentsForDayTarget));
    }

    [Fact]
    public void Outlook_AfterClosing_NothingAheadAndTheDayEndsWhereItIs()
    {
        var o = IntradayStaffing.Outlook(Inputs(Opening.AddHours(10.5), 400, 300, 400, agents: 0));

        Assert.Empty(o.Quarters);
        Assert.Equal(0.75, o.Projection.ProjectedServiceLevel!.Value, 12);
        Assert.True(o.Projection.MissesTarget);
        Assert.Null(o.Projection.RequiredRestOfDay);
        Assert.False(o.Projection.Reachable);
    }

    [Fact]
    public void Outlook_WithPatience_ErlangAFiguresAndItsModelNamed()
    {
        var patience = TimeSpan.FromSeconds(90);
        var o = IntradayStaffing.Outlook(Inputs(Opening.AddHours(2.5), 120, 100, 115, agents: 3, patience: patience));

        Assert.StartsWith("erlang_a", o.Model, StringComparison.Ordinal);
        var w = new Workload(12, OpenQuarter.Length, Aht);
        Assert.Equal(ErlangA.Evaluate(3, w, patience, Minute).ServiceLevel, o.Quarters[1].ServiceLevelAsStaffed!.Value, 12);
        var needed = o.Quarters[1].AgentsNeeded;
        Assert.True(ErlangA.Evaluate(needed, w, patience, Minute).ServiceLevel >= 0.85);
        Assert.True(ErlangA.Evaluate(needed - 1, w, patience, Minute).ServiceLevel < 0.85);
    }

    [Fact]
    public void DayNeed_QuarterHoursOfDifferentLoad_SumsAgentHoursAndFindsThePeak()
    {
        // The published case is 100 calls in 30 min → 14 agents at 80 % in 20 s; 50 in a quarter hour is the same rate.
        var (hours, peak) = IntradayStaffing.DayNeed([50, 50, 0, 25], Aht, null, 0.8, TimeSpan.FromSeconds(20));
        var quiet = StaffingSolver.Solve(new Workload(25, OpenQuarter.Length, Aht), new StaffingGoal(0.8, TimeSpan.FromSeconds(20))).Agents;

        Assert.Equal(14, peak);
        Assert.Equal((14 + 14 + 0 + quiet) * 0.25, hours, 12);
    }

    [Fact]
    public void Agents_PatienceOfYears_SameAsErlangC()
    {
        var w = new Workload(100, TimeSpan.FromMinutes(30), Aht);

        Assert.Equal(14, IntradayStaffing.Agents(w, 0.8, TimeSpan.FromSeconds(20), null));
        Assert.Equal(14, IntradayStaffing.Agents(w, 0.8, TimeSpan.FromSeconds(20), TimeSpan.FromDays(365)));
    }

    [Fact]
    public void Agents_ShortPatience_FewerThanErlangCBecauseCallersWhoHangUpTakeNoAgentTime()
    {
        var w = new Workload(100, TimeSpan.FromMinutes(30), Aht);

        Assert.True(IntradayStaffing.Agents(w, 0.5, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60)) < IntradayStaffing.Agents(w, 0.5, TimeSpan.FromSeconds(20), null));
    }
}
