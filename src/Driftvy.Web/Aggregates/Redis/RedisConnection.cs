using StackExchange.Redis;

namespace Driftvy.Web.Aggregates.Redis;

/// <summary>
/// The one place Driftvy touches StackExchange.Redis's connection type. Version 1.2.6 is the newest
/// whose dependencies resolve here; keeping the multiplexer behind this interface keeps a later bump
/// to one file. One multiplexer per process, shared and reused, as the library intends.
/// </summary>
public interface IRedisConnection
{
    IDatabase Database { get; }

    ISubscriber Subscriber { get; }

    bool IsConnected { get; }

    /// <summary>Every key that starts with <paramref name="prefix"/> (SCAN; admin paths only, never per request).</summary>
    IEnumerable<RedisKey> KeysWithPrefix(string prefix);
}

internal sealed class RedisConnection : IRedisConnection, IDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;

    public RedisConnection(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // Start and keep running while Redis is down: facts are still stored, screens show stale data,
        // and the multiplexer reconnects in the background.
        options.AbortOnConnectFail = false;
        options.ConnectRetry = 3;
        options.SyncTimeout = 5000;
        _multiplexer = ConnectionMultiplexer.Connect(options);
    }

    public IDatabase Database => _multiplexer.GetDatabase();

    public ISubscriber Subscriber => _multiplexer.GetSubscriber();

    public bool IsConnected => _multiplexer.IsConnected;

    public IEnumerable<RedisKey> KeysWithPrefix(string prefix)
    {
        foreach (var endpoint in _multiplexer.GetEndPoints())
        {
            var server = _multiplexer.GetServer(endpoint);
            if (server.IsSlave)
            {
                continue;
            }

            foreach (var key in server.Keys(pattern: prefix + "*", pageSize: 1000))
            {
                yield return key;
            }
        }
    }

    public void Dispose()
    {
        // Close without waiting for queued commands: a shutting-down app must not hang on an unreachable Redis.
        _multiplexer.Close(allowCommandsToComplete: false);
        _multiplexer.Dispose();
    }
}
