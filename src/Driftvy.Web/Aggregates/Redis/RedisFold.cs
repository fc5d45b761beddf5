using Driftvy.Domain.Calendar;
using StackExchange.Redis;

namespace Driftvy.Web.Aggregates.Redis;

/// <summary>
/// Turns a batch of contacts into one call of <c>apply.lua</c>: each bucket's counter increments with its time to
/// live, and each day's quarter counts for the quarter index. The script folds them atomically, on condition that the
/// watermark is what the batch expects.
/// </summary>
internal sealed class RedisFold(RedisKeyLayout keys, AggregateOptions options, TimeProvider time)
{
    /// <summary>True when folded; false when skipped (already folded, or the watermark moved: see the script).</summary>
    public async Task<bool> ApplyContactsAsync(IDatabaseAsync db, AggregateBatch batch, CancellationToken cancellationToken)
    {
        var (scriptKeys, args) = Prepare(batch, time.GetUtcNow());
        var result = await db.ScriptEvaluateAsync(RedisScripts.Apply, scriptKeys, args).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>The script's keys and arguments for a batch: everything a fold works out before it talks to Redis.</summary>
    public (RedisKey[] Keys, RedisValue[] Args) Prepare(AggregateBatch batch, DateTimeOffset now)
    {
        var deltas = batch.Deltas(key => key.Start + options.RetentionOf(key.Granularity) > now);
        var scriptKeys = new List<RedisKey>(deltas.Count + 2) { keys.Watermark, keys.Layout };
        var args = new List<RedisValue>(deltas.Count * 16)
        {
            batch.ExpectedWatermark ?? -1,
            batch.FirstSeq,
            batch.LastSeq,
            RedisKeyLayout.Version,
        };
        var indexes = new Dictionary<(string Queue, DateOnly Day), List<KeyValuePair<string, RedisValue>>>();
        foreach (var (key, tally) in deltas)
        {
            // A bucket lives for its retention from when it starts, not from when it was last written: a rebuild then
            // writes no minute buckets older than the rolling windows need. (A TTL relative to this process's clock,
            // not EXPIREAT, so Redis's own clock does not matter.)
            var ttl = SecondsLeft(key.Start + options.RetentionOf(key.Granularity), now);
            if (ttl <= 0)
            {
                continue;
            }

            scriptKeys.Add(keys.Tally(key));
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

        // Each day's quarter counts in one small hash beside the quarters (see RedisTallyReader), kept as long as the
        // day's last quarter is.
        foreach (var ((queue, day), counts) in indexes)
        {
            scriptKeys.Add(keys.QuarterIndex(queue, day));
            args.Add(counts.Count);
            args.Add(SecondsLeft(StockholmTime.StartOfDayUtc(day.AddDays(1)) + options.QuarterRetention, now));
            foreach (var (label, offered) in counts)
            {
                args.Add(label);
                args.Add(offered);
            }
        }

        return ([.. scriptKeys], [.. args]);
    }

    public async Task ApplySnapshotsAsync(IDatabaseAsync db, AggregateBatch batch, CancellationToken cancellationToken)
    {
        // Started together and awaited together: one round trip's worth of latency for all queues.
        var writes = batch.Snapshots.Select(s => db.HashSetAsync(keys.Snapshot(s.Queue),
        [
            new HashEntry("at", s.At.ToUnixTimeMilliseconds()),
            new HashEntry("waiting", s.Waiting),
            new HashEntry("longest", s.LongestWaitSeconds),
            new HashEntry("available", s.AgentsAvailable),
            new HashEntry("busy", s.AgentsBusy),
            new HashEntry("away", s.AgentsAway),
        ]));
        await Task.WhenAll(writes).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static long SecondsLeft(DateTimeOffset until, DateTimeOffset now) => (long)Math.Ceiling((until - now).TotalSeconds);
}
