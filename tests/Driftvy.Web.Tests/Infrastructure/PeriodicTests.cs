using Driftvy.Web.Infrastructure;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Infrastructure;

/// <summary>The loop behind every timer-driven service, on a fake clock: its cadence, and no burst after a jump.</summary>
public sealed class PeriodicTests
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_ClockAdvancedIntervalByInterval_RunsOncePerInterval()
    {
        var time = TestClock.Frozen(TestClock.OrdinaryMorning);
        using var stop = new CancellationTokenSource();
        var runs = new Runs();
        var loop = Periodic.RunAsync(Every, time, runs.RunAsync, _ => { }, stop.Token);

        Assert.Equal(0, runs.Count);
        for (var i = 1; i <= 3; i++)
        {
            time.Advance(Every);
            await runs.WaitForAsync(i);
        }

        time.Advance(Every - TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await loop;
        Assert.Equal(3, runs.Count);
    }

    [Fact]
    public async Task RunAsync_ClockJumpsAMonth_RunsOnceNotOncePerMissedInterval()
    {
        var time = TestClock.Frozen(TestClock.OrdinaryMorning);
        using var stop = new CancellationTokenSource();
        var runs = new Runs();
        var loop = Periodic.RunAsync(Every, time, runs.RunAsync, _ => { }, stop.Token);

        time.Advance(TimeSpan.FromDays(30));
        await runs.WaitForAsync(1);
        // The next run is one interval after the jump, not at once.
        time.Advance(Every / 2);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(1, runs.Count);
        time.Advance(Every / 2);
        await runs.WaitForAsync(2);

        await stop.CancelAsync();
        await loop;
        Assert.Equal(2, runs.Count);
    }

    [Fact]
    public async Task RunAsync_WorkFails_ReportsItAndRunsAgainAtTheNextTick()
    {
        var time = TestClock.Frozen(TestClock.OrdinaryMorning);
        using var stop = new CancellationTokenSource();
        var failures = new List<Exception>();
        var runs = new Runs(failFirst: true);
        var loop = Periodic.RunAsync(Every, time, runs.RunAsync, ex => { lock (failures) { failures.Add(ex); } }, stop.Token);

        time.Advance(Every);
        await runs.WaitForAsync(1);
        time.Advance(Every);
        await runs.WaitForAsync(2);

        await stop.CancelAsync();
        await loop;
        Assert.Equal("first run fails", Assert.Single(failures).Message);
    }

    /// <summary>Counts the runs and lets the test wait for the n-th one (in real time, bounded).</summary>
    private sealed class Runs(bool failFirst = false)
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task RunAsync(CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _count);
            return failFirst && n == 1 ? Task.FromException(new InvalidOperationException("first run fails")) : Task.CompletedTask;
        }

        public async Task WaitForAsync(int n)
        {
            Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(Count >= n), TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken), $"run {n} did not happen ({Count} runs)");
            Assert.Equal(n, Count);
        }
    }
}
