namespace Driftvy.Web.Infrastructure;

/// <summary>The loop of every timer-driven background service: do the work each interval, log a failure and go on.</summary>
internal static class Periodic
{
    /// <summary>
    /// Runs <paramref name="work"/> every <paramref name="every"/> (first after one interval) until
    /// <paramref name="stoppingToken"/> is cancelled. A failed run is handed to <paramref name="failed"/> and the next
    /// tick tries again; shutting down ends the loop quietly.
    /// </summary>
    public static async Task RunAsync(
        TimeSpan every, TimeProvider time, Func<CancellationToken, Task> work, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
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
