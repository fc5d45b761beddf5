using System.Globalization;
using System.Security.Cryptography;
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
internal sealed class RedisAggregateStore(IRedisConnection redis, IOptions<AggregateOptions> options, TimeProvider time) : IAggregateStore
{
    // KEYS[1] = watermark; KEYS[2..] = bucket hashes. ARGV: expected watermark (-1: any), firstSeq,
    // lastSeq, then per bucket: field count, seconds left to live, then (field, increment) pairs. Sums of seconds
    // are fractional. Returns 1 when folded, 0 when skipped (already folded, or not the expected watermark).
    private const string ApplyScript = """
        local wm = tonumber(redis.call('GET', KEYS[1]) or '0')
        local expected = tonumber(ARGV[1])
        local first = tonumber(ARGV[2])
        if expected >= 0 and wm ~= expected then return 0 end
        if first > 0 and wm >= first then return 0 end
        local i = 4
        for k = 2, #KEYS do
          local n = tonumber(ARGV[i])
          local ttl = tonumber(ARGV[i + 1])
          i = i + 2
          if redis.call('EXISTS', KEYS[k]) == 0 then
            -- A new bucket (every bucket of a rebuild, mostly): its fields set a few hundred at a time, not one by one.
            local j = 0
            while j < n do
              local m = math.min(n - j, 500)
              redis.call('HSET', KEYS[k], unpack(ARGV, i + 2 * j, i + 2 * (j + m) - 1))
              j = j + m
            end
            i = i + 2 * n
          else
            for j = 1, n do
              local f = ARGV[i]
              if f == 'aws' or f == 'hs' then
                redis.call('HINCRBYFLOAT', KEYS[k], f, ARGV[i + 1])
              else
                redis.call('HINCRBY', KEYS[k], f, ARGV[i + 1])
              end
              i = i + 2
            end
          end
          redis.call('EXPIRE', KEYS[k], ttl)
        end
        local last = tonumber(ARGV[3])
        if last > wm then redis.call('SET', KEYS[1], ARGV[3]) end
        return 1
        """;

    // KEYS[1] = the generation; KEYS[2..] = the buckets of every query, one query after the other. ARGV per
    // query: bucket count, offered count the caller holds (-1: none), mode (-1: full hashes, -2: offered only,
    // n >= 0: the waits projected onto the n thresholds that follow), guard (1-based index of an earlier query,
    // 0: none), then the n thresholds. Returns the generation and, per query, false (unchanged or guarded) or a
    // flat (field, value) array: the sum of its buckets' hashes. One script, so every query is read at one
    // moment (no batch lands between two of them), and only merged, projected fields travel.
    private const string QueryScript = """
        local out = { redis.call('GET', KEYS[1]) or '0' }
        local k = 2
        local a = 1
        local q = 0
        while a <= #ARGV do
          q = q + 1
          local n = tonumber(ARGV[a])
          local unless = tonumber(ARGV[a + 1])
          local mode = tonumber(ARGV[a + 2])
          local guard = tonumber(ARGV[a + 3])
          local th = {}
          for j = 1, mode do th[j] = tonumber(ARGV[a + 3 + j]) end
          a = a + 4 + math.max(mode, 0)
          local res = false
          if guard == 0 or out[guard + 1] then
            local o = nil
            if unless >= 0 or mode == -2 then
              o = 0
              for i = 0, n - 1 do o = o + (tonumber(redis.call('HGET', KEYS[k + i], 'o')) or 0) end
            end
            if unless >= 0 and o == unless then
              res = false
            elseif mode == -2 then
              res = { 'o', string.format('%d', o) }
            elseif n == 1 and mode == -1 then
              -- A single bucket in full needs no merging: hand its hash back as stored.
              res = redis.call('HGETALL', KEYS[k])
            else
              local sums = {}
              local names = {}
              for i = 0, n - 1 do
                local flat = redis.call('HGETALL', KEYS[k + i])
                for j = 1, #flat, 2 do
                  local f = flat[j]
                  if mode >= 0 then
                    local c = string.byte(f)
                    if c == 119 or c == 120 then
                      local s = tonumber(string.sub(f, 2))
                      local t = 2147483647
                      for x = 1, mode do
                        if s <= th[x] then t = th[x] break end
                      end
                      f = string.char(c) .. string.format('%d', t)
                    end
                  end
                  local v = tonumber(flat[j + 1])
                  if sums[f] then sums[f] = sums[f] + v else sums[f] = v; names[#names + 1] = f end
                end
              end
              res = {}
              for _, f in ipairs(names) do
                res[#res + 1] = f
                if f == 'aws' or f == 'hs' then
                  res[#res + 1] = string.format('%.17g', sums[f])
                else
                  res[#res + 1] = string.format('%d', sums[f])
                end
              end
            end
          end
          out[q + 1] = res
          k = k + n
        end
        return out
        """;

    private readonly string _prefix = options.Value.KeyPrefix;
    private readonly TimeSpan _timeout = options.Value.OperationTimeout;

    public string Kind => "redis";

    public async Task<bool> ApplyAsync(AggregateBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var db = redis.Database;
        var applied = true;
        if (batch.Contacts.Count > 0)
        {
            var now = time.GetUtcNow();
            var deltas = batch.Deltas(key => key.Start + options.Value.RetentionOf(key.Granularity) > now);
            var keys = new List<RedisKey>(deltas.Count + 1) { WatermarkKey };
            var args = new List<RedisValue>(deltas.Count * 16)
            {
                batch.ExpectedWatermark ?? -1,
                batch.FirstSeq,
                batch.LastSeq,
            };
            foreach (var (key, tally) in deltas)
            {
                // A bucket lives for its retention from when it starts, not from when it was last written:
                // a rebuild then writes no minute buckets older than the rolling windows need. (A TTL
                // relative to this process's clock, not EXPIREAT, so Redis's own clock does not matter.)
                var ttl = (long)Math.Ceiling((key.Start + options.Value.RetentionOf(key.Granularity) - now).TotalSeconds);
                if (ttl <= 0)
                {
                    continue;
                }

                keys.Add(TallyKey(key));
                var fields = TallyHash.ToFields(tally);
                args.Add(fields.Count);
                args.Add(ttl);
                foreach (var (field, value) in fields)
                {
                    args.Add(field);
                    args.Add(value);
                }
            }

            var result = await Bounded(db.ScriptEvaluateAsync(ApplyScript, [.. keys], [.. args]), cancellationToken).ConfigureAwait(false);
            applied = (long)result == 1;
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
            await Bounded(Task.WhenAll(tasks), cancellationToken).ConfigureAwait(false);
        }

        return applied;
    }

    public Task<IReadOnlyList<ContactTally>> ReadTalliesAsync(IReadOnlyList<BucketKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        // One script call instead of one HGETALL per bucket: a board's ~400 buckets in one round trip.
        return ReadMergedAsync(keys.Select(k => (IReadOnlyList<BucketKey>)[k]).ToList(), cancellationToken);
    }

    public async Task<IReadOnlyList<ContactTally>> ReadMergedAsync(IReadOnlyList<IReadOnlyList<BucketKey>> groups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var read = await ReadQueriesAsync([.. groups.Select(g => new TallyQuery(g))], cancellationToken).ConfigureAwait(false);
        return [.. read.Tallies.Select(t => t!)];
    }

    public async Task<TallyRead> ReadQueriesAsync(IReadOnlyList<TallyQuery> queries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Count == 0)
        {
            return new TallyRead(0, []);
        }

        var keys = new RedisKey[1 + queries.Sum(q => q.Buckets.Count)];
        var args = new List<RedisValue>(queries.Count * 6);
        keys[0] = GenerationKey;
        var k = 1;
        foreach (var query in queries)
        {
            foreach (var key in query.Buckets)
            {
                keys[k++] = TallyKey(key);
            }

            args.Add(query.Buckets.Count);
            args.Add(query.UnlessOffered ?? -1);
            args.Add(query.OfferedOnly ? -2 : query.Thresholds?.Count ?? -1);
            args.Add(query.GuardedBy is { } guard ? guard + 1 : 0);
            if (!query.OfferedOnly && query.Thresholds is { } thresholds)
            {
                foreach (var t in thresholds)
                {
                    args.Add(t);
                }
            }
        }

        var result = await Bounded(redis.Database.ScriptEvaluateAsync(QueryScript, keys, [.. args]), cancellationToken).ConfigureAwait(false);
        var parts = (RedisResult[])result!;
        var tallies = new ContactTally?[queries.Count];
        for (var q = 0; q < queries.Count; q++)
        {
            var part = parts[q + 1];
            if (part.IsNull)
            {
                continue;
            }

            var flat = (RedisValue[])part!;
            var entries = new HashEntry[flat.Length / 2];
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = new HashEntry(flat[2 * i], flat[(2 * i) + 1]);
            }

            tallies[q] = TallyHash.FromFields(entries);
        }

        return new TallyRead((long)parts[0], tallies);
    }

    public async Task<IReadOnlyList<QueueSnapshot?>> ReadSnapshotsAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var db = redis.Database;
        var reads = queues.Select(q => db.HashGetAllAsync(SnapshotKey(q))).ToArray();
        var hashes = await Bounded(Task.WhenAll(reads), cancellationToken).ConfigureAwait(false);
        return queues.Select((q, i) => ToSnapshot(q, hashes[i])).ToArray();
    }

    public async Task<long> ReadWatermarkAsync(CancellationToken cancellationToken)
    {
        var value = await Bounded(redis.Database.StringGetAsync(WatermarkKey), cancellationToken).ConfigureAwait(false);
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
                await Bounded(db.KeyDeleteAsync([.. batch]), cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await Bounded(db.KeyDeleteAsync([.. batch]), cancellationToken).ConfigureAwait(false);
        }

        // A new generation, so that readers' caches of buckets let go. Random rather than counted: a flushed Redis
        // loses the key, and a count starting again could repeat a generation some cache still holds.
        var generation = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;
        await Bounded(db.StringSetAsync(GenerationKey, Math.Max(1, generation)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every call is bounded: StackExchange.Redis 1.2.6 does not time out asynchronous operations on its
    /// own, so while Redis is down an await could otherwise hang a poll. The poll then counts the fold as
    /// failed and the facts are caught up when Redis answers again.
    /// </summary>
    private Task<T> Bounded<T>(Task<T> operation, CancellationToken cancellationToken) =>
        operation.WaitAsync(_timeout, cancellationToken);

    private Task Bounded(Task operation, CancellationToken cancellationToken) =>
        operation.WaitAsync(_timeout, cancellationToken);

    private RedisKey WatermarkKey => _prefix + "watermark";

    private RedisKey GenerationKey => _prefix + "generation";

    private RedisKey TallyKey(BucketKey key) => string.Create(CultureInfo.InvariantCulture,
        $"{_prefix}t:{key.Queue}:{GranularityCode(key.Granularity)}:{key.Label}");

    private RedisKey SnapshotKey(string queue) => _prefix + "live:" + queue;

    private static char GranularityCode(Granularity g) => g switch
    {
        Granularity.Minute => 'm',
        Granularity.Quarter => 'q',
        _ => 'd',
    };

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
