using Driftvy.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Aggregates;

/// <summary>
/// At start-up, folds the facts the aggregate store has not seen (all of them for a new or flushed
/// store); then keeps checking it: a store flushed or replaced while running is rebuilt, and one left
/// behind by an outage is caught up as soon as it answers, even if this instance does not poll.
/// </summary>
internal sealed class AggregateStartup(
    AggregateCatchUp catchUp,
    AggregateStatus status,
    IOptions<AggregateOptions> options,
    TimeProvider time,
    ILogger<AggregateStartup> logger) : BackgroundService
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
                break;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Start-up catch-up of the aggregates failed; retrying in {Delay}", delay);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
            }
        }

        // Then keep checking; a failed check (Redis still away) leaves the status "behind" for the next tick.
        await Periodic.RunAsync(
            options.Value.CheckInterval, time, catchUp.CheckAsync, ex => logger.LogDebug(ex, "Aggregate check failed"), stoppingToken).ConfigureAwait(false);
    }
}
