namespace Driftvy.Web.Aggregates;

/// <summary>At start-up, folds the facts the aggregate store has not seen (all of them for a new or flushed store).</summary>
internal sealed class AggregateStartup(AggregateCatchUp catchUp, AggregateStatus status, ILogger<AggregateStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Retry until the catch-up succeeds (e.g. Redis not up yet): screens say "rebuilding" meanwhile.
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await catchUp.CatchUpAsync(stoppingToken).ConfigureAwait(false);
                status.EndRebuild();
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Start-up catch-up of the aggregates failed; retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
            }
        }
    }
}
