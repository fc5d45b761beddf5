namespace Driftvy.Web.Infrastructure;

/// <summary>The loop of every timer-driven background service: do the work each interval, log a failure and go on.</summary>
internal static class Periodic
{
    /// <summary>
    /// Runs <paramref name="work"/> every <paramref name="every"/> (first after one interval) until
    /// <paramref name="stoppingToken"/> is cancelled. A failed run is handed to <paramref name="failed"/> and the next
    /// tick tries again; shutting down ends the loop quietly.
    /// </summary>
    /// <remarks>
    /// Ticks keep their cadence on <paramref name="time"/>, but a tick that comes late (a busy machine, a suspended VM,
    /// a clock moved forward by a test) is one tick, never a burst of the ticks it missed: each wait is armed afresh
    /// from the clock's present, so jumping a fake clock by a month costs one run, not a million.
    /// </remarks>
    public static async Task RunAsync(
        TimeSpan every, TimeProvider time, Func<CancellationToken, Task> work, Action<Exception> failed, CancellationToken stoppingToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
        var next = time.GetUtcNow() + every;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = next - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    // Always resumed on the thread pool: the clock that completed the wait (a test advancing a fake) is not held up by the work.
                    await Task.Delay(wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                }

                var now = time.GetUtcNow();
                next = next + every > now ? next + every : now + every;
                try
                {
                    await work(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    failed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
