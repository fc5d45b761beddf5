using System.Diagnostics;
using Driftvy.Domain.Staffing;

namespace Driftvy.Domain.Tests.Staffing;

/// <summary>
/// The solver's speed for the largest queues it is meant for. Left out of the default run (category Benchmark, see
/// tests/default.runsettings), since timings on shared machines vary; it prints what it measured and holds the
/// target of under 1 ms per solve. Run with
/// <c>dotnet test tests/Driftvy.Domain.Tests -c Release --settings tests/benchmark.runsettings --filter Category=Benchmark</c>.
/// </summary>
public sealed class StaffingSolverBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public void Solve_UpToTwoThousandAgents_UnderOneMillisecondEach()
    {
        // 2 000 Erlangs (40 000 calls an hour at 180 s), 80 % in 20 s, 85 % occupancy and 30 % shrinkage: the
        // solver walks the Erlang B recursion through about 2 350 agents.
        var largest = new Workload(40_000, TimeSpan.FromHours(1), TimeSpan.FromSeconds(180));
        var goal = new StaffingGoal(0.8, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30), 0.85, 0.3);
        for (var i = 0; i < 200; i++)
        {
            StaffingSolver.Solve(largest, goal);
        }

        const int Rounds = 2_000;
        var times = new double[Rounds];
        var agents = 0;
        for (var i = 0; i < Rounds; i++)
        {
            var start = Stopwatch.GetTimestamp();
            agents = StaffingSolver.Solve(largest, goal).Agents;
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        var median = times[Rounds / 2];
        var p99 = times[(int)(Rounds * 0.99)];
        output.WriteLine($"2 000 Erlangs → {agents} agents: median {median:0.000} ms, p99 {p99:0.000} ms, max {times[^1]:0.000} ms over {Rounds} solves");

        // Every size from 1 to 2 000 Erlangs once, as a wall screen of many queues would ask.
        var sweep = Stopwatch.GetTimestamp();
        for (var calls = 20; calls <= 40_000; calls += 20)
        {
            StaffingSolver.Solve(new Workload(calls, TimeSpan.FromHours(1), TimeSpan.FromSeconds(180)), goal);
        }

        var perSolve = Stopwatch.GetElapsedTime(sweep).TotalMilliseconds / 2_000;
        output.WriteLine($"1 … 2 000 Erlangs, 2 000 solves: {perSolve:0.000} ms per solve on average");

        Assert.InRange(agents, 2000, 2400);
        Assert.True(median < 1, $"median {median} ms");
        Assert.True(perSolve < 1, $"sweep {perSolve} ms per solve");
    }
}
