using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// The instants tests pin the host's clock to. No test reads the machine's clock: the suite must give the same
/// answers on a Monday morning, at midnight on New Year's Eve and on the nights the clocks change.
/// </summary>
public static class TestClock
{
    /// <summary>
    /// Thursday 15 October 2026, 10:30 in Stockholm (summer time): a working day in an ordinary week, with cases
    /// already closed earlier in the week, the year's targets in force and the month well under way. The default
    /// of every host.
    /// </summary>
    public static readonly DateTimeOffset OrdinaryMorning = new(2026, 10, 15, 8, 30, 0, TimeSpan.Zero);

    /// <summary>A stopped clock at <paramref name="instant"/>: time moves only when the test advances it.</summary>
    public static FakeTimeProvider Frozen(DateTimeOffset instant) => new(instant);

    /// <summary>
    /// Advances <paramref name="time"/> by <paramref name="step"/> at a time, so the host's periodic loops run,
    /// until <paramref name="condition"/> holds. <paramref name="timeout"/> is real time and only bounds a busy
    /// machine; it is reported, never part of what is asserted.
    /// </summary>
    public static async Task<bool> AdvanceUntilAsync(this FakeTimeProvider time, TimeSpan step, Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(condition);
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            if (await condition())
            {
                return true;
            }

            time.Advance(step);
            // Let the work the tick started run on the thread pool before looking again.
            await Task.Delay(20, cancellationToken);
        }

        return await condition();
    }
}

/// <summary>
/// A <see cref="FakeTimeProvider"/> that starts at a named instant and is advanced in step with the real time
/// that passes, so a host's timers, periodic loops and <c>Task.Delay</c> run as in production while the date
/// is the test's. The test can still jump it ahead with <see cref="FakeTimeProvider.Advance"/> (a source going
/// silent for ten minutes takes no ten minutes).
/// </summary>
public sealed class RunningClock : FakeTimeProvider, IAsyncDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public RunningClock(DateTimeOffset start)
        : base(start)
    {
        _pump = Task.Run(PumpAsync);
    }

    private async Task PumpAsync()
    {
        var last = Stopwatch.GetTimestamp();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Step, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Only forward: under faketime the machine's monotonic clock can step back a little, and FakeTimeProvider
            // refuses to go back (the exception would end this pump and stop every timer of the host under test).
            var now = Stopwatch.GetTimestamp();
            if (now > last)
            {
                Advance(Stopwatch.GetElapsedTime(last, now));
                last = now;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        _stop.Dispose();
    }
}
