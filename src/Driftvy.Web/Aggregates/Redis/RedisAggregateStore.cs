using System.Globalization;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Sources.Telephony;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Driftvy.Web.Aggregates.Redis;

/// <summary>
/// Aggregates in Redis, shared by every Driftvy instance. A bucket is one hash of counters
/// (<c>{prefix}t:{queue}:{m|q|d}:{label}</c>); a batch is applied by one Lua script, which Redis runs
/// atomically, so a reader never sees half a batch and a retried batch (first seq ≤ watermark) is skipped.
/// </summary>
internal sealed class RedisAggregateStore(IRedisConnection redis, IOptions<AggregateOptions> options) : IAggregateStore
{
    // KEYS[1] = watermark; KEYS[2..] = bucket hashes. ARGV: firstSeq, lastSeq, then per bucket:
    // field count, ttl seconds, then (field, increment) pairs. Sums of seconds are fractional.
    private const string ApplyScript = """
        local wm = tonumber(redis.call('GET', KEYS[1]) or '0')
        local first = tonumber(ARGV[1])
        if first > 0 and wm >= first then return 0 end
        local i = 3
        for k = 2, #KEYS do
          local n = tonumber(ARGV[i])
          local ttl = tonumber(ARGV[i + 1])
          i = i + 2
          for j = 1, n do
            local f = ARGV[i]
            if f == 'aws' or f == 'hs' then
              redis.call('HINCRBYFLOAT', KEYS[k], f, ARGV[i + 1])
            else
              redis.call('HINCRBY', KEYS[k], f, ARGV[i + 1])
            end
            i = i + 2
          end
          if ttl > 0 then redis.call('EXPIRE', KEYS[k], ttl) end
        end
        local last = tonumber(ARGV[2])
        if last > wm then redis.call('SET', KEYS[1], ARGV[2]) end
        return 1
        """;

    private const string ReadScript = """
        local r = {}
        for i, k in ipairs(KEYS) do r[i] = redis.call('HGETALL', k) end
        return r
        """;

    private readonly string _prefix = options.Value.KeyPrefix;

    public string Kind => "redis";

    public async Task ApplyAsync(AggregateBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var db = redis.Database;
        if (batch.Contacts.Count > 0)
        {
            var deltas = batch.Deltas();
            var keys = new List<RedisKey>(deltas.Count + 1) { WatermarkKey };
            var args = new List<RedisValue>(deltas.Count * 16)
            {
                batch.FirstSeq,
                batch.LastSeq,
            };
            foreach (var (key, tally) in deltas)
            {
                keys.Add(TallyKey(key));
                var fields = TallyHash.ToFields(tally);
                args.Add(fields.Count);
                args.Add((long)options.Value.RetentionOf(key.Granularity).TotalSeconds);
                foreach (var (field, value) in fields)
                {
                    args.Add(field);
                    args.Add(value);
                }
            }

            await db.ScriptEvaluateAsync(ApplyScript, [.. keys], [.. args]).ConfigureAwait(false);
        }

        if (batch.Snapshots.Count > 0)
        {
            var tasks = batch.Snapshots.Select(s => db.HashSetAsync(SnapshotKey(s.Queue),
            [
                new HashEntry("at", s.At.ToUnixTimeMilliseconds()),
                new HashEntry("waiting", s.Waiting),
                new HashEntry("longest", s.LongestWaitSeconds),
                new HashEntry("available", s.AgentsAvailable),
                new HashEntry("busy", s.AgentsBusy),
                new HashEntry("away", s.AgentsAway),
            ]));
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<ContactTally>> ReadTalliesAsync(IReadOnlyList<BucketKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return [];
        }

        // One script reads every bucket, so the read is as atomic as the write: a board never mixes
        // a day bucket from after a batch with a minute bucket from before it.
        var result = await redis.Database.ScriptEvaluateAsync(ReadScript, keys.Select(TallyKey).ToArray()).ConfigureAwait(false);
        var hashes = (RedisResult[])result!;
        return hashes.Select(h => TallyHash.FromFields(ToEntries((RedisResult[])h!))).ToArray();
    }

    public async Task<IReadOnlyList<QueueSnapshot?>> ReadSnapshotsAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var db = redis.Database;
        var reads = queues.Select(q => db.HashGetAllAsync(SnapshotKey(q))).ToArray();
        var hashes = await Task.WhenAll(reads).ConfigureAwait(false);
        return queues.Select((q, i) => ToSnapshot(q, hashes[i])).ToArray();
    }

    public async Task<long> ReadWatermarkAsync(CancellationToken cancellationToken)
    {
        var value = await redis.Database.StringGetAsync(WatermarkKey).ConfigureAwait(false);
        return value.IsNull ? 0 : (long)value;
    }

    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        var db = redis.Database;
        var batch = new List<RedisKey>(1000);
        foreach (var key in redis.KeysWithPrefix(_prefix))
        {
            batch.Add(key);
            if (batch.Count == 1000)
            {
                await db.KeyDeleteAsync([.. batch]).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await db.KeyDeleteAsync([.. batch]).ConfigureAwait(false);
        }
    }

    private RedisKey WatermarkKey => _prefix + "watermark";

    private RedisKey TallyKey(BucketKey key) => string.Create(CultureInfo.InvariantCulture,
        $"{_prefix}t:{key.Queue}:{GranularityCode(key.Granularity)}:{key.Label}");

    private RedisKey SnapshotKey(string queue) => _prefix + "live:" + queue;

    private static char GranularityCode(Granularity g) => g switch
    {
        Granularity.Minute => 'm',
        Granularity.Quarter => 'q',
        _ => 'd',
    };

    private static HashEntry[] ToEntries(RedisResult[] flat)
    {
        var entries = new HashEntry[flat.Length / 2];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new HashEntry((RedisValue)flat[2 * i], (RedisValue)flat[(2 * i) + 1]);
        }

        return entries;
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
