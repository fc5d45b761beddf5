using StackExchange.Redis;

namespace Driftvy.Web.Aggregates.Redis;

/// <summary>
/// Opens the process's one <see cref="IConnectionMultiplexer"/>: shared by the aggregate store, the SignalR
/// backplane and the health checks, injected as is.
/// </summary>
internal static class RedisMultiplexer
{
    /// <summary>
    /// Connects with <c>ConnectionStrings:Redis</c>; every call is bounded by <c>Aggregates:OperationTimeout</c> and
    /// every pub/sub channel (the SignalR backplane's) is under <c>Aggregates:KeyPrefix</c>.
    /// </summary>
    public static ConnectionMultiplexer Connect(string configuration, AggregateOptions aggregates)
    {
        ArgumentNullException.ThrowIfNull(aggregates);
        var options = ConfigurationOptions.Parse(configuration);
        // Deployments (and test hosts) sharing one Redis keep their keys apart by prefix; their screens' messages too.
        options.ChannelPrefix = RedisChannel.Literal(aggregates.KeyPrefix);
        // Start and keep running while Redis is down: facts are still stored, screens show stale data, and the
        // multiplexer reconnects in the background.
        options.AbortOnConnectFail = false;
        // The library's own timeouts, synchronous and asynchronous alike: a call that outlives them fails with
        // RedisTimeoutException (also while queued during an outage), so a poll counts its fold as failed and the
        // facts are caught up once Redis answers.
        var milliseconds = (int)Math.Ceiling(aggregates.OperationTimeout.TotalMilliseconds);
        options.AsyncTimeout = milliseconds;
        options.SyncTimeout = milliseconds;
        return ConnectionMultiplexer.Connect(options);
    }
}
