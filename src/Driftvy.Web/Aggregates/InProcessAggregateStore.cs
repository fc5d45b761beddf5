using Driftvy.Domain.Contacts;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Aggregates;

/// <summary>
/// The embedded default: aggregates in this process's memory. A reader takes the same lock as a
/// writer, so it never sees half a batch. Lost on restart and rebuilt from the facts at start-up.
/// </summary>
internal sealed class InProcessAggregateStore(IOptions<AggregateOptions> options, TimeProvider time) : IAggregateStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<BucketKey, ContactTally> _tallies = [];
    private readonly Dictionary<string, QueueSnapshot> _snapshots = new(StringComparer.Ordinal);
    private long _watermark;
    private long _generation;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    public string Kind => "in-process";

    public void Prepare(IReadOnlyList<StoredContact> contacts) => _ = Deltas(new AggregateBatch(contacts, []), time.GetUtcNow());

    // Buckets already past their retention (a rebuild of old facts) are not folded: the Redis store skips them too.
    private Dictionary<BucketKey, ContactTally> Deltas(AggregateBatch batch, DateTimeOffset now) =>
        batch.Deltas(key => key.Start + options.Value.RetentionOf(key.Granularity) > now);

    public Task<bool> ApplyAsync(AggregateBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var now = time.GetUtcNow();
        var deltas = Deltas(batch, now);
        var applied = !batch.MovesWatermark;
        lock (_gate)
        {
            var expected = batch.ExpectedWatermark is not { } e || e == _watermark;
            if (batch.MovesWatermark && batch.FirstSeq > _watermark && expected)
            {
                applied = true;
                foreach (var (key, delta) in deltas)
                {
                    if (_tallies.TryGetValue(key, out var tally))
                    {
                        tally.Merge(delta);
                    }
                    else
                    {
                        _tallies[key] = delta;
                    }
                }

                _watermark = Math.Max(_watermark, batch.LastSeq);
            }

            foreach (var s in batch.Snapshots)
            {
                _snapshots[s.Queue] = s;
            }

            PruneExpired();
        }

        return Task.FromResult(applied);
    }

    public Task<IReadOnlyList<ContactTally>> ReadTalliesAsync(IReadOnlyList<BucketKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var result = new ContactTally[keys.Count];
        lock (_gate)
        {
            for (var i = 0; i < keys.Count; i++)
            {
                // Hand out copies: callers may merge into what they get.
                var copy = new ContactTally();
                if (_tallies.TryGetValue(keys[i], out var tally))
                {
                    copy.Merge(tally);
                }

                result[i] = copy;
            }
        }

        return Task.FromResult<IReadOnlyList<ContactTally>>(result);
    }

    public Task<IReadOnlyList<ContactTally>> ReadMergedAsync(IReadOnlyList<IReadOnlyList<BucketKey>> groups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var result = new ContactTally[groups.Count];
        lock (_gate)
        {
            for (var i = 0; i < groups.Count; i++)
            {
                var merged = new ContactTally();
                foreach (var key in groups[i])
                {
                    if (_tallies.TryGetValue(key, out var tally))
                    {
                        merged.Merge(tally);
                    }
                }

                result[i] = merged;
            }
        }

        return Task.FromResult<IReadOnlyList<ContactTally>>(result);
    }

    public Task<TallyRead> ReadQueriesAsync(IReadOnlyList<TallyQuery> queries, IReadOnlyList<QuarterQuery> charts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(charts);
        var result = new ContactTally?[queries.Count];
        var chartReads = new QuarterRead?[charts.Count];
        lock (_gate)
        {
            for (var i = 0; i < queries.Count; i++)
            {
                var query = queries[i];
                var present = query.Buckets.Select(k => _tallies.GetValueOrDefault(k)).OfType<ContactTally>().ToList();
                if (query.UnlessOffered == present.Sum(t => t.Offered))
                {
                    continue;
                }

                var merged = new ContactTally();
                foreach (var tally in present)
                {
                    merged.Merge(tally);
                }

                result[i] = query.Project(merged);
            }

            for (var c = 0; c < charts.Count; c++)
            {
                var chart = charts[c];
                var quarters = BucketKey.QuartersOf(chart.Queue, chart.Day)
                    .Select(k => (k.Start, Tally: _tallies.GetValueOrDefault(k)))
                    .Where(x => x.Tally is { Offered: > 0 })
                    .ToList();
                if (chart.UnlessOffered == quarters.Sum(x => x.Tally!.Offered))
                {
                    continue;
                }

                var moved = new Dictionary<DateTimeOffset, ContactTally>();
                foreach (var (start, tally) in quarters)
                {
                    if (!chart.CountsOnly && (chart.Known is null || !chart.Known.TryGetValue(start, out var known) || known != tally!.Offered))
                    {
                        // A copy (projection or merge): the caller may keep what it gets while folds go on.
                        var copy = new ContactTally();
                        copy.Merge(tally!);
                        moved[start] = chart.Project(copy);
                    }
                }

                chartReads[c] = new QuarterRead(quarters.ToDictionary(x => x.Start, x => x.Tally!.Offered), moved);
            }

            return Task.FromResult(new TallyRead(_generation, result) { Charts = chartReads });
        }
    }

    public Task<IReadOnlyList<QueueSnapshot?>> ReadSnapshotsAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<QueueSnapshot?>>(
                queues.Select(q => _snapshots.TryGetValue(q, out var s) ? s : null).ToArray());
        }
    }

    public Task<long> ReadWatermarkAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_watermark);
        }
    }

    public Task ClearAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _tallies.Clear();
            _snapshots.Clear();
            _watermark = 0;
            _generation++;
        }

        return Task.CompletedTask;
    }

    private void PruneExpired()
    {
        var now = time.GetUtcNow();
        if (now - _lastPrune < TimeSpan.FromMinutes(5))
        {
            return;
        }

        _lastPrune = now;
        var o = options.Value;
        foreach (var key in _tallies.Keys.Where(k => k.Start + o.RetentionOf(k.Granularity) < now).ToList())
        {
            _tallies.Remove(key);
        }
    }
}
