using System.Security.Cryptography;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Sources.Telephony;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Driftvy.Web.Aggregates.Redis;

/// <summary>
/// Aggregates in Redis, shared by every Driftvy instance. A bucket is one hash of counters (see
/// <see cref="RedisKeyLayout"/>); a batch is folded by one Lua script (<see cref="RedisFold"/>), which Redis runs
/// atomically, so a reader (<see cref="RedisTallyReader"/>) never sees half a batch and a retried batch is skipped.
/// </summary>
/// <remarks>
/// Every call is bounded by the multiplexer's own <c>AsyncTimeout</c> (<c>Aggregates:OperationTimeout</c>, see
/// <see cref="RedisMultiplexer"/>): a timed-out call fails with <see cref="RedisTimeoutException"/>, the poll counts
/// the fold as failed and the facts are caught up when Redis answers again. StackExchange.Redis takes no cancellation
/// token, so a cancelled caller only stops waiting for its reply.
/// </remarks>
internal sealed class RedisAggregateStore : IAggregateStore
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeyLayout _keys;
    private readonly RedisFold _fold;
    private readonly RedisTallyReader _reader;
    private readonly TimeProvider _time;

    public RedisAggregateStore(IConnectionMultiplexer redis, IOptions<AggregateOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _keys = new RedisKeyLayout(options.Value.KeyPrefix);
        _fold = new RedisFold(_keys, options.Value, time);
        _reader = new RedisTallyReader(_keys);
        _time = time;
    }

    public string Kind => "redis";

    // GetDatabase is cheap and the library's advice is not to keep its result: taken per call.
    private IDatabase Db => _redis.GetDatabase();

    public async Task<bool> ApplyAsync(AggregateBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var applied = true;
        if (batch.MovesWatermark)
        {
            applied = await _fold.ApplyContactsAsync(Db, batch, cancellationToken).ConfigureAwait(false);
        }

        if (batch.Snapshots.Count > 0)
        {
            await _fold.ApplySnapshotsAsync(Db, batch, cancellationToken).ConfigureAwait(false);
        }

        return applied;
    }

    public void Prepare(IReadOnlyList<Storage.StoredContact> contacts) => _fold.Prepare(new AggregateBatch(contacts, []), _time.GetUtcNow());

    public Task<IReadOnlyList<ContactTally>> ReadTalliesAsync(IReadOnlyList<BucketKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        // One script call instead of one HGETALL per bucket: a board's ~400 buckets in one round trip.
        return ReadMergedAsync(keys.Select(k => (IReadOnlyList<BucketKey>)[k]).ToList(), cancellationToken);
    }

    public async Task<IReadOnlyList<ContactTally>> ReadMergedAsync(IReadOnlyList<IReadOnlyList<BucketKey>> groups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var read = await ReadQueriesAsync([.. groups.Select(g => new TallyQuery(g))], [], cancellationToken).ConfigureAwait(false);
        return [.. read.Tallies.Select(t => t!)];
    }

    public Task<TallyRead> ReadQueriesAsync(IReadOnlyList<TallyQuery> queries, IReadOnlyList<QuarterQuery> charts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(charts);
        return _reader.ReadAsync(Db, queries, charts, cancellationToken);
    }

    public async Task<IReadOnlyList<QueueSnapshot?>> ReadSnapshotsAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var db = Db;
        var reads = queues.Select(q => db.HashGetAllAsync(_keys.Snapshot(q))).ToArray();
        var hashes = await Task.WhenAll(reads).WaitAsync(cancellationToken).ConfigureAwait(false);
        return queues.Select((q, i) => ToSnapshot(q, hashes[i])).ToArray();
    }

    public async Task<bool> IsOutdatedAsync(CancellationToken cancellationToken)
    {
        var db = Db;
        var watermark = db.StringGetAsync(_keys.Watermark);
        var layout = db.StringGetAsync(_keys.Layout);
        await Task.WhenAll(watermark, layout).WaitAsync(cancellationToken).ConfigureAwait(false);
        var (w, l) = (await watermark.ConfigureAwait(false), await layout.ConfigureAwait(false));
        return !w.IsNull && (l.IsNull || (long)l != RedisKeyLayout.Version);
    }

    public async Task<long> ReadWatermarkAsync(CancellationToken cancellationToken)
    {
        var value = await Db.StringGetAsync(_keys.Watermark).WaitAsync(cancellationToken).ConfigureAwait(false);
        return value.IsNull ? 0 : (long)value;
    }

    /// <summary>
    /// Deletes every key under the prefix (an admin rebuild or a layout change, never a request path), a page of the
    /// asynchronous SCAN at a time, on every primary.
    /// </summary>
    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        var db = Db;
        const int Page = 1000;
        var batch = new List<RedisKey>(Page);
        foreach (var server in _redis.GetServers().Where(s => !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: _keys.Prefix + "*", pageSize: Page).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                batch.Add(key);
                if (batch.Count == Page)
                {
                    await db.KeyDeleteAsync([.. batch]).WaitAsync(cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                }
            }
        }

        if (batch.Count > 0)
        {
            await db.KeyDeleteAsync([.. batch]).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        // A new generation, so that readers' caches of buckets let go. Random rather than counted: a flushed Redis
        // loses the key, and a count starting again could repeat a generation some cache still holds.
        var generation = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;
        await Task.WhenAll(
            db.StringSetAsync(_keys.Generation, Math.Max(1, generation)),
            db.StringSetAsync(_keys.Layout, RedisKeyLayout.Version)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static QueueSnapshot? ToSnapshot(string queue, HashEntry[] entries)
    {
        if (entries.Length == 0)
        {
            return null;
        }

        var map = entries.ToDictionary(e => (string)e.Name!, e => (long)e.Value);
        return new QueueSnapshot(
            DateTimeOffset.FromUnixTimeMilliseconds(map.GetValueOrDefault("at")),
            queue,
            (int)map.GetValueOrDefault("waiting"),
            (int)map.GetValueOrDefault("longest"),
            (int)map.GetValueOrDefault("available"),
            (int)map.GetValueOrDefault("busy"),
            (int)map.GetValueOrDefault("away"));
    }
}
