using System.Threading.Channels;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Driftvy.Web.Cluster;

/// <summary>
/// Gets every instance's screens every update without a SignalR backplane: the instance that polled
/// publishes one small "boards changed" message on Redis, and every instance (itself included) reacts
/// by building fresh snapshots from the shared aggregates and pushing them to its own SignalR groups.
/// Bursts collapse: at most one push runs per instance, with at most one more queued behind it.
/// </summary>
internal sealed class BoardUpdateRelay(
    IConnectionMultiplexer redis,
    DashboardNotifier local,
    IOptions<AggregateOptions> options,
    ILogger<BoardUpdateRelay> logger) : BackgroundService, IDashboardNotifier
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly RedisChannel _channel = new(options.Value.KeyPrefix + "boards-changed", RedisChannel.PatternMode.Literal);
    private readonly string _instance = Guid.NewGuid().ToString("N");

    /// <summary>Announces a change to every instance; falls back to this instance's screens if Redis is away.</summary>
    public async Task PublishAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(_channel, _instance).WaitAsync(options.Value.OperationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not announce a board update on Redis; updating this instance's screens only");
            _pending.Writer.TryWrite(true);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // StackExchange.Redis renews the subscription itself after a reconnect.
        await redis.GetSubscriber().SubscribeAsync(_channel, (_, _) => _pending.Writer.TryWrite(true)).ConfigureAwait(false);
        try
        {
            await foreach (var _ in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await local.PublishAllAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Pushing board updates to this instance's screens failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await redis.GetSubscriber().UnsubscribeAsync(_channel).ConfigureAwait(false);
        }
    }
}
