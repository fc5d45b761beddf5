using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Driftvy.Domain.Calendar;
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
    // KEYS[1] = watermark; KEYS[2] = layout; KEYS[3..] = bucket hashes (and quarter indexes). ARGV: expected
    // watermark (-1: any), firstSeq, lastSeq, layout, then per bucket: field count, seconds left to live, then
    // (field, increment) pairs. Sums of seconds are fractional. Returns 1 when folded, 0 when skipped (already
    // folded, or not the expected watermark). The first fold into an empty store marks it with this layout.
    private const string ApplyScript = """
        local stored = redis.call('GET', KEYS[1])
        local wm = tonumber(stored or '0')
        local expected = tonumber(ARGV[1])
        local first = tonumber(ARGV[2])
        if expected >= 0 and wm ~= expected then return 0 end
        if first > 0 and wm >= first then return 0 end
        if not stored then redis.call('SET', KEYS[2], ARGV[4]) end
        local i = 5
        for k = 3, #KEYS do
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

    // KEYS[1] = the generation, KEYS[2] = the watermark; then the buckets of every tally query, one query after the
    // other; then the quarter index and the day's bucket per chart. ARGV[1] = the number of tally queries, ARGV[2] = 1
    // to return single whole hashes inline (else 1 in their place, or the quarter's label alone: the caller fetches
    // them), ARGV[3] = the number of field sets, then each set (its count, then its field names: see
    // TallyHash.ProjectionFields); per tally query: bucket count, offered count the caller holds (-1: none), the field
    // set to read its buckets with (0: whole hashes); per chart: the day's offered count the caller holds (-1: none),
    // 1 for counts only, the key prefix of the day's quarter hashes, the caller's quarter counts ("label=count,..."),
    // the field set for its quarters (0: whole hashes). Returns the generation and the watermark; per tally query
    // false (unchanged), the set's values (summed over its buckets), a whole hash (or 1), or several whole hashes
    // summed as a flat (field, value) array; per chart false (unchanged) or { index, label, values or hash, ... } for
    // the quarters whose count moved (labels alone for whole hashes not inline).
    //
    // What costs in a script is each redis.call (several microseconds) and every field that crosses into Lua and back
    // (a fraction of a microsecond each way): a day's hash of per-second waits crossing twice costs more than all the
    // rest of a screen's read. So a projected read takes only its field set by name (a few dozen fields, thanks to the
    // block sums, added up in the script over a rolling window's minutes), a single whole hash is fetched with a plain
    // HGETALL right after the script (see ReadQueriesAsync), a chart's moved quarters are found through the day's
    // quarter index, and the day's offered count is checked first.
    private const string QueryScript = """
        local function merge(keys, first, n)
          local sums = {}
          local order = {}
          for i = 0, n - 1 do
            local flat = redis.call('HGETALL', keys[first + i])
            for j = 1, #flat, 2 do
              local f = flat[j]
              local v = tonumber(flat[j + 1])
              if sums[f] then sums[f] = sums[f] + v else sums[f] = v; order[#order + 1] = f end
            end
          end
          local res = {}
          for _, f in ipairs(order) do
            res[#res + 1] = f
            res[#res + 1] = string.format((f == 'aws' or f == 'hs') and '%.17g' or '%d', sums[f])
          end
          return res
        end
        local function add(keys, first, n, fields)
          local sums = {}
          for j = 1, #fields do sums[j] = 0 end
          for i = 0, n - 1 do
            local v = redis.call('HMGET', keys[first + i], unpack(fields))
            for j = 1, #fields do if v[j] then sums[j] = sums[j] + tonumber(v[j]) end end
          end
          for j = 1, #fields do sums[j] = string.format('%.17g', sums[j]) end
          return sums
        end

        local inline = ARGV[2] == '1'
        local out = { redis.call('GET', KEYS[1]) or '0', redis.call('GET', KEYS[2]) or '0' }
        local k = 3
        local a = 4
        local sets = {}
        for s = 1, tonumber(ARGV[3]) do
          local c = tonumber(ARGV[a])
          sets[s] = { unpack(ARGV, a + 1, a + c) }
          a = a + 1 + c
        end
        local function single(key, set)
          if set > 0 then return redis.call('HMGET', key, unpack(sets[set])) end
          if inline then return redis.call('HGETALL', key) end
          return nil
        end
        for q = 1, tonumber(ARGV[1]) do
          local n = tonumber(ARGV[a])
          local unless = tonumber(ARGV[a + 1])
          local set = tonumber(ARGV[a + 2])
          a = a + 3
          local o = -1
          if unless >= 0 then
            o = 0
            for i = 0, n - 1 do o = o + (tonumber(redis.call('HGET', KEYS[k + i], 'o')) or 0) end
          end
          if unless >= 0 and o == unless then
            out[#out + 1] = false
          elseif n == 1 then
            out[#out + 1] = single(KEYS[k], set) or 1
          elseif set > 0 then
            out[#out + 1] = add(KEYS, k, n, sets[set])
          else
            out[#out + 1] = merge(KEYS, k, n)
          end
          k = k + n
        end
        while a <= #ARGV do
          local unless = tonumber(ARGV[a])
          local countsOnly = ARGV[a + 1] == '1'
          local prefix = ARGV[a + 2]
          local knownText = ARGV[a + 3]
          local set = tonumber(ARGV[a + 4])
          a = a + 5
          if unless >= 0 and (tonumber(redis.call('HGET', KEYS[k + 1], 'o')) or 0) == unless then
            out[#out + 1] = false
          else
            local index = redis.call('HGETALL', KEYS[k])
            local res = { index }
            if not countsOnly then
              local known = {}
              for label, count in string.gmatch(knownText, '(%d+)=(%d+)') do known[label] = count end
              for j = 1, #index, 2 do
                if known[index[j]] ~= index[j + 1] then
                  res[#res + 1] = index[j]
                  if set > 0 or inline then res[#res + 1] = single(prefix .. index[j], set) end
                end
              end
            end
            out[#out + 1] = res
          end
          k = k + 2
        end
        return out
        """;

    /// <summary>
    /// The key layout this code writes and reads. A store written by an earlier layout (its watermark set, its
    /// layout not this one) is rebuilt at start-up; see <see cref="IsOutdatedAsync"/>.
    /// </summary>
    /// <remarks>
    /// 2: each day's quarter hours also counted in one index hash per queue and day. 3: waits also summed per block of
    /// ten seconds (see <see cref="TallyHash"/>).
    /// </remarks>
    private const int Layout = 3;

    private readonly string _prefix = options.Value.KeyPrefix;
    private readonly TimeSpan _timeout = options.Value.OperationTimeout;

    public string Kind => "redis";

    public async Task<bool> ApplyAsync(AggregateBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var db = redis.Database;
        var applied = true;
        if (batch.MovesWatermark)
        {
            var now = time.GetUtcNow();
            var deltas = batch.Deltas(key => key.Start + options.Value.RetentionOf(key.Granularity) > now);
            var keys = new List<RedisKey>(deltas.Count + 2) { WatermarkKey, LayoutKey };
            var args = new List<RedisValue>(deltas.Count * 16)
            {
                batch.ExpectedWatermark ?? -1,
                batch.FirstSeq,
                batch.LastSeq,
                Layout,
            };
            var indexes = new Dictionary<(string Queue, DateOnly Day), List<KeyValuePair<string, RedisValue>>>();
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

                if (key.Granularity == Granularity.Quarter)
                {
                    var day = (key.Queue, StockholmTime.LocalDate(key.Start));
                    if (!indexes.TryGetValue(day, out var counts))
                    {
                        indexes[day] = counts = [];
                    }

                    counts.Add(new(key.Label, tally.Offered));
                }
            }

            // Each day's quarter counts in one small hash beside the quarters (see ReadQueriesAsync), kept as long
            // as the day's last quarter is.
            foreach (var ((queue, day), counts) in indexes)
            {
                keys.Add(QuarterIndexKey(queue, day));
                args.Add(counts.Count);
                args.Add((long)Math.Ceiling((StockholmTime.StartOfDayUtc(day.AddDays(1)) + options.Value.QuarterRetention - now).TotalSeconds));
                foreach (var (label, offered) in counts)
                {
                    args.Add(label);
                    args.Add(offered);
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
        var read = await ReadQueriesAsync([.. groups.Select(g => new TallyQuery(g))], [], cancellationToken).ConfigureAwait(false);
        return [.. read.Tallies.Select(t => t!)];
    }

    /// <remarks>
    /// One script call reads everything a projection needs. Whole hashes (the full histograms) are not passed through
    /// the script: it says which moved, with the generation and the watermark, and they are fetched right after with
    /// the watermark and generation read again. Every fold moves the watermark and every clear the generation, so if
    /// neither moved, nothing changed between the two steps and the answer is as of one moment. If something did, the
    /// read starts again; the last attempt has the script return the hashes itself.
    /// </remarks>
    public async Task<TallyRead> ReadQueriesAsync(IReadOnlyList<TallyQuery> queries, IReadOnlyList<QuarterQuery> charts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(charts);
        if (queries.Count == 0 && charts.Count == 0)
        {
            return new TallyRead(0, []);
        }

        // The field sets the projections read, each sent once however many queries use it.
        var sets = new List<RedisValue[]>();
        int SetOf(IReadOnlyList<int>? thresholds)
        {
            if (thresholds is null || ProjectionFieldsOf(thresholds) is not { } fields)
            {
                return 0;
            }

            var at = sets.IndexOf(fields);
            if (at < 0)
            {
                sets.Add(fields);
                at = sets.Count - 1;
            }

            return at + 1;
        }

        var querySets = queries.Select(q => SetOf(q.Thresholds)).ToArray();
        var chartSets = charts.Select(c => c.CountsOnly ? 0 : SetOf(c.Thresholds)).ToArray();
        var keys = new RedisKey[2 + queries.Sum(q => q.Buckets.Count) + (2 * charts.Count)];
        var args = new List<RedisValue>(3 + sets.Sum(f => f.Length + 1) + (queries.Count * 3) + (charts.Count * 5)) { queries.Count, 0, sets.Count };
        foreach (var fields in sets)
        {
            args.Add(fields.Length);
            args.AddRange(fields);
        }

        keys[0] = GenerationKey;
        keys[1] = WatermarkKey;
        var k = 2;
        for (var q = 0; q < queries.Count; q++)
        {
            foreach (var key in queries[q].Buckets)
            {
                keys[k++] = TallyKey(key);
            }

            args.Add(queries[q].Buckets.Count);
            args.Add(queries[q].UnlessOffered ?? -1);
            args.Add(querySets[q]);
        }

        for (var c = 0; c < charts.Count; c++)
        {
            var chart = charts[c];
            keys[k++] = QuarterIndexKey(chart.Queue, chart.Day);
            keys[k++] = TallyKey(BucketKey.ForDay(chart.Queue, chart.Day));
            args.Add(chart.UnlessOffered ?? -1);
            args.Add(chart.CountsOnly ? 1 : 0);
            args.Add(QuarterKeyPrefix(chart.Queue));
            args.Add(chart.Known is { } known ? KnownText.GetValue(known, FormatKnown) : string.Empty);
            args.Add(chartSets[c]);
        }

        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var inline = attempt == Attempts;
            args[1] = inline ? 1 : 0;
            var db = redis.Database;
            var parts = (RedisResult[])(await Bounded(db.ScriptEvaluateAsync(QueryScript, keys, [.. args]), cancellationToken).ConfigureAwait(false))!;
            var fetches = new List<(RedisKey Key, int Query, int Chart, DateTimeOffset Quarter)>();
            var tallies = new ContactTally?[queries.Count];
            for (var q = 0; q < queries.Count; q++)
            {
                var part = parts[2 + q];
                if (part.IsNull)
                {
                    continue;
                }

                if (querySets[q] > 0)
                {
                    tallies[q] = TallyHash.FromProjectionFields((RedisValue[])part!, queries[q].Thresholds!);
                }
                else if (!inline && queries[q].Buckets.Count == 1)
                {
                    fetches.Add((TallyKey(queries[q].Buckets[0]), q, -1, default));
                }
                else
                {
                    // A whole hash, or several summed: projected here if the query asks for it.
                    tallies[q] = TallyHash.FromFields((RedisValue[])part!, queries[q].Thresholds);
                }
            }

            var chartReads = new QuarterRead?[charts.Count];
            var moved = new Dictionary<DateTimeOffset, ContactTally>[charts.Count];
            for (var c = 0; c < charts.Count; c++)
            {
                var part = parts[2 + queries.Count + c];
                if (part.IsNull)
                {
                    continue;
                }

                var items = (RedisResult[])part!;
                var index = (RedisValue[])items[0]!;
                var offered = new Dictionary<DateTimeOffset, long>(index.Length / 2);
                for (var i = 0; i < index.Length; i += 2)
                {
                    offered[ParseQuarterLabel(index[i]!)] = (long)index[i + 1];
                }

                moved[c] = new Dictionary<DateTimeOffset, ContactTally>(items.Length);
                var withValues = chartSets[c] > 0 || inline;
                for (var i = 1; i < items.Length; i += withValues ? 2 : 1)
                {
                    var quarter = ParseQuarterLabel((string)items[i]!);
                    if (chartSets[c] > 0)
                    {
                        moved[c][quarter] = TallyHash.FromProjectionFields((RedisValue[])items[i + 1]!, charts[c].Thresholds!);
                    }
                    else if (inline)
                    {
                        moved[c][quarter] = TallyHash.FromFields((RedisValue[])items[i + 1]!, charts[c].Thresholds);
                    }
                    else
                    {
                        fetches.Add((QuarterKeyPrefix(charts[c].Queue) + (string)items[i]!, -1, c, quarter));
                    }
                }

                chartReads[c] = new QuarterRead(offered, moved[c]);
            }

            if (fetches.Count > 0)
            {
                // Whole hashes (full histograms, or thresholds too high for a field set), fetched outside the script.
                var hashes = fetches.Select(f => db.HashGetAllAsync(f.Key)).ToArray();
                var generation = db.StringGetAsync(GenerationKey);
                var watermark = db.StringGetAsync(WatermarkKey);
                await Bounded(Task.WhenAll(Task.WhenAll(hashes), generation, watermark), cancellationToken).ConfigureAwait(false);
                if (!SameValue(generation.Result, parts[0]) || !SameValue(watermark.Result, parts[1]))
                {
                    // A fold or a clear came between the two steps.
                    continue;
                }

                for (var f = 0; f < fetches.Count; f++)
                {
                    var (_, query, chart, quarter) = fetches[f];
                    var tally = TallyHash.FromFields(TallyHash.Flatten(hashes[f].Result), query >= 0 ? queries[query].Thresholds : charts[chart].Thresholds);
                    if (query >= 0)
                    {
                        tallies[query] = tally;
                    }
                    else
                    {
                        moved[chart][quarter] = tally;
                    }
                }
            }

            return new TallyRead((long)parts[0], tallies) { Charts = chartReads };
        }
    }

    private static RedisValue[]? ProjectionFieldsOf(IReadOnlyList<int> thresholds) =>
        ProjectionFieldNames.GetOrAdd(string.Join(',', thresholds), _ => TallyHash.ProjectionFields(thresholds));

    private static bool SameValue(RedisValue value, RedisResult scripted) => (value.IsNull ? "0" : (string)value!) == (string)scripted!;

    public async Task<IReadOnlyList<QueueSnapshot?>> ReadSnapshotsAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var db = redis.Database;
        var reads = queues.Select(q => db.HashGetAllAsync(SnapshotKey(q))).ToArray();
        var hashes = await Bounded(Task.WhenAll(reads), cancellationToken).ConfigureAwait(false);
        return queues.Select((q, i) => ToSnapshot(q, hashes[i])).ToArray();
    }

    public async Task<bool> IsOutdatedAsync(CancellationToken cancellationToken)
    {
        var db = redis.Database;
        var watermark = db.StringGetAsync(WatermarkKey);
        var layout = db.StringGetAsync(LayoutKey);
        await Bounded(Task.WhenAll(watermark, layout), cancellationToken).ConfigureAwait(false);
        return !watermark.Result.IsNull && (layout.Result.IsNull || (long)layout.Result != Layout);
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
        await Bounded(db.StringSetAsync(LayoutKey, Layout), cancellationToken).ConfigureAwait(false);
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

    private RedisKey LayoutKey => _prefix + "layout";

    private RedisKey TallyKey(BucketKey key) => string.Create(CultureInfo.InvariantCulture,
        $"{_prefix}t:{key.Queue}:{GranularityCode(key.Granularity)}:{key.Label}");

    private RedisKey SnapshotKey(string queue) => _prefix + "live:" + queue;

    /// <summary>A day's quarter-hour index: one field per quarter with contacts (its label), its offered count.</summary>
    private RedisKey QuarterIndexKey(string queue, DateOnly day) => string.Create(CultureInfo.InvariantCulture,
        $"{_prefix}qi:{queue}:{BucketKey.ForDay(queue, day).Label}");

    /// <summary>What a quarter's label follows in its key (see <see cref="TallyKey"/>).</summary>
    private string QuarterKeyPrefix(string queue) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}t:{queue}:q:");

    private static readonly ConcurrentDictionary<string, RedisValue[]?> ProjectionFieldNames = new(StringComparer.Ordinal);

    // A caller holds on to its known counts between reads (a screen's chart), so each is formatted once.
    private static readonly ConditionalWeakTable<IReadOnlyDictionary<DateTimeOffset, long>, string> KnownText = new();

    private static string FormatKnown(IReadOnlyDictionary<DateTimeOffset, long> known) =>
        string.Join(',', known.Select(q => string.Create(CultureInfo.InvariantCulture, $"{QuarterLabel(q.Key)}={q.Value}")));

    private static string QuarterLabel(DateTimeOffset start) => new BucketKey(string.Empty, Granularity.Quarter, start).Label;

    private static DateTimeOffset ParseQuarterLabel(string label) =>
        new(DateTime.ParseExact(label, "yyyyMMddHHmm", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

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
