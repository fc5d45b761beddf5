using System.Diagnostics;
using Driftvy.Domain.Staffing;

namespace Driftvy.Domain.Tests.Staffing;

/// <summary>
/// What one rest-of-day outlook costs: a staffing tile and the alert rule work one out at every push. Left out of the
/// default run (category Benchmark); it prints what it measured. Run with
/// <c>dotnet test tests/Driftvy.Domain.Tests -c Release --settings tests/benchmark.runsettings --filter Category=Benchmark</c>.
/// </summary>
public sealed class IntradayStaffingBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public void Outlook_BusiestQueueAtOpening_WellUnderAPushInterval()
    {
        // Kontaktcenter Stockholm's simulated peak: 105 calls a quarter hour at 230 s, callers' patience 150 s, every
        // one of the 40 quarter hours 08:00–18:00 still ahead, Erlang A for the need, the day's target and as staffed.
        var opening = new DateTimeOffset(2026, 10, 15, 6, 0, 0, TimeSpan.Zero);
        var quarters = Enumerable.Range(0, 40).Select(i => new OpenQuarter(opening.AddMinutes(15 * i), 105)).ToList();
        var inputs = new IntradayInputs(
            quarters, opening, 0, 0, 0, TimeSpan.FromSeconds(230), TimeSpan.FromSeconds(150), 0.85, TimeSpan.FromSeconds(60), 24, null);
        for (var i = 0; i < 5; i++)
        {
            IntradayStaffing.Outlook(inputs);
        }

        const int Rounds = 50;
        var times = new double[Rounds];
        for (var i = 0; i < Rounds; i++)
        {
            var start = Stopwatch.GetTimestamp();
            IntradayStaffing.Outlook(inputs);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        var median = times[Rounds / 2];
        output.WriteLine($"40 quarter hours, Erlang A: median {median:0.00} ms, max {times[^1]:0.00} ms over {Rounds} outlooks");
        Assert.True(median < 1000, $"an outlook took {median:0.00} ms, a push interval is 5 s");
    }
}
