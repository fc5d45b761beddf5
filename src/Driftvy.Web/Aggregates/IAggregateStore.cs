using Driftvy.Domain.Contacts;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;

namespace Driftvy.Web.Aggregates;

/// <summary>
/// Rolling aggregates that screens read: contact tallies per queue and bucket, the queues' live state,
/// and the watermark (highest fact sequence folded in). Two implementations pass the same contract
/// tests: in-process (the embedded default) and Redis.
/// </summary>
public interface IAggregateStore
{
    /// <summary><c>in-process</c> or <c>redis</c>; shown at the health endpoint.</summary>
    string Kind { get; }

    /// <summary>
    /// Folds a batch of stored contacts (consecutive sequence numbers, as one poll or import stored them)
    /// and live snapshots in one atomic step. A batch whose first sequence number is at or below the
    /// watermark was already folded and is ignored, so a retried batch never counts twice. With
    /// <see cref="AggregateBatch.ExpectedWatermark"/> set, the contacts are folded only if the watermark
    /// is exactly that value (compare-and-set), so the folded facts always form an unbroken prefix.
    /// Returns whether the contacts were folded (true for a batch of snapshots only).
    /// </summary>
    Task<bool> ApplyAsync(AggregateBatch batch, CancellationToken cancellationToken);

    /// <summary>The tallies of the given buckets, in order; an empty tally where nothing was folded.</summary>
    Task<IReadOnlyList<ContactTally>> ReadTalliesAsync(IReadOnlyList<BucketKey> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Each group of buckets merged into one tally, in order, read at one consistent moment: a rolling
    /// window (its minute or day buckets), a team (its queues' buckets) or both. See <see cref="AggregateWindows"/>.
    /// </summary>
    Task<IReadOnlyList<ContactTally>> ReadMergedAsync(IReadOnlyList<IReadOnlyList<BucketKey>> groups, CancellationToken cancellationToken);

    /// <summary>
    /// The tallies a screen refresh needs, read at one consistent moment in one step, with as little as possible
    /// travelling: each query's buckets merged, its waits projected onto the thresholds it names, and nothing at all
    /// for a query whose offered count still equals the one the caller holds (see <see cref="TallyQuery"/>).
    /// Also returns the store's generation, which changes whenever the store is cleared, so that a caller's cache
    /// of buckets knows when what it holds no longer belongs to this store.
    /// </summary>
    /// <remarks>
    /// The default reads every query in full through <see cref="ReadMergedAsync"/> and never leaves one out (callers
    /// must accept a tally where they could have had null); both stores override it with a real one-step read.
    /// </remarks>
    async Task<TallyRead> ReadQueriesAsync(IReadOnlyList<TallyQuery> queries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var merged = await ReadMergedAsync([.. queries.Select(q => q.Buckets)], cancellationToken).ConfigureAwait(false);
        return new TallyRead(0, [.. merged.Select((t, i) => queries[i] switch
        {
            { OfferedOnly: true } => ContactTally.FromCounters(t.Offered, 0, 0, 0, 0, 0, 0, 0, [], []),
            { Thresholds: { } thresholds } => t.ProjectOnto(thresholds),
            _ => t,
        })]);
    }

    /// <summary>The latest live snapshot of each queue, in order; null where none has been seen.</summary>
    Task<IReadOnlyList<QueueSnapshot?>> ReadSnapshotsAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken);

    /// <summary>The highest fact sequence number folded in (0 when empty).</summary>
    Task<long> ReadWatermarkAsync(CancellationToken cancellationToken);

    /// <summary>Removes every aggregate (tallies, snapshots, watermark) before a full rebuild.</summary>
    Task ClearAsync(CancellationToken cancellationToken);
}

/// <summary>One tally to read with <see cref="IAggregateStore.ReadQueriesAsync"/>: its buckets, merged.</summary>
/// <remarks>
/// Folds only ever add contacts, in sequence order, and every contact adds one to its buckets' offered count;
/// so within one generation a set of buckets whose offered count has not moved has not changed at all. That is
/// what <see cref="UnlessOffered"/> and <see cref="GuardedBy"/> rely on.
/// </remarks>
public sealed record TallyQuery(IReadOnlyList<BucketKey> Buckets)
{
    /// <summary>
    /// Ascending whole seconds to project the waits onto (<see cref="ContactTally.ProjectOnto"/>); empty for counts
    /// and sums only; null (the default) for the full histograms.
    /// </summary>
    public IReadOnlyList<int>? Thresholds { get; init; }

    /// <summary>Only the offered count (the returned tally has nothing else).</summary>
    public bool OfferedOnly { get; init; }

    /// <summary>
    /// When set and the buckets' offered count equals it, the query comes back null: the caller's copy is current.
    /// (A store may also answer in full; callers take either.)
    /// </summary>
    public long? UnlessOffered { get; init; }

    /// <summary>
    /// The index of an earlier query whose buckets contain this one's (a day and its quarter hours): when that
    /// one comes back null (unchanged), this one is not looked at and comes back null too.
    /// </summary>
    public int? GuardedBy { get; init; }
}

/// <summary>The answer to <see cref="IAggregateStore.ReadQueriesAsync"/>: a tally per query, null where unchanged.</summary>
/// <param name="Generation">Changes whenever the store is cleared (0 for a store never cleared).</param>
/// <param name="Tallies">One per query, in order.</param>
public sealed record TallyRead(long Generation, IReadOnlyList<ContactTally?> Tallies);

/// <summary>What one <see cref="IAggregateStore.ApplyAsync"/> folds.</summary>
public sealed record AggregateBatch(IReadOnlyList<StoredContact> Contacts, IReadOnlyList<QueueSnapshot> Snapshots)
{
    /// <summary>
    /// When set, fold the contacts only if the store's watermark equals this value. Catch-up and polls
    /// set it to the watermark they read before reading the facts after it, so two folders (two instances,
    /// or a poll racing a rebuild) can never leave a hole below the watermark.
    /// </summary>
    public long? ExpectedWatermark { get; init; }

    public static AggregateBatch OfSnapshots(IReadOnlyList<QueueSnapshot> snapshots) => new([], snapshots);

    public long FirstSeq => Contacts.Count == 0 ? 0 : Contacts.Min(c => c.Seq);

    public long LastSeq => Contacts.Count == 0 ? 0 : Contacts.Max(c => c.Seq);

    /// <summary>The batch pre-aggregated per bucket: what the stores add up.</summary>
    /// <param name="include">Buckets worth folding (a store leaves out those already past their retention); all when null.</param>
    public Dictionary<BucketKey, ContactTally> Deltas(Func<BucketKey, bool>? include = null)
    {
        var builders = new Dictionary<BucketKey, TallyBuilder>();
        // Many contacts share a minute; its quarter and (Stockholm) day are worked out once per minute,
        // which keeps the time-zone arithmetic out of the per-contact path of large folds.
        var parents = new Dictionary<BucketKey, (TallyBuilder? Minute, TallyBuilder? Quarter, TallyBuilder? Day)>();
        foreach (var stored in Contacts)
        {
            var c = stored.Contact;
            var minute = BucketKey.For(c.Queue, Granularity.Minute, c.OfferedAt);
            if (!parents.TryGetValue(minute, out var tallies))
            {
                tallies = (
                    BuilderOf(builders, minute, include),
                    BuilderOf(builders, BucketKey.For(c.Queue, Granularity.Quarter, minute.Start), include),
                    BuilderOf(builders, BucketKey.For(c.Queue, Granularity.Day, minute.Start), include));
                parents[minute] = tallies;
            }

            // The wait is worked out once for the three buckets.
            var wait = c.Wait;
            var bucket = wait is { } w ? ContactTally.WaitBucket(w) : 0;
            var seconds = wait?.TotalSeconds ?? 0;
            tallies.Minute?.Add(c, bucket, seconds);
            tallies.Quarter?.Add(c, bucket, seconds);
            tallies.Day?.Add(c, bucket, seconds);
        }

        return builders.ToDictionary(b => b.Key, b => b.Value.ToTally());
    }

    private static TallyBuilder? BuilderOf(Dictionary<BucketKey, TallyBuilder> builders, BucketKey key, Func<BucketKey, bool>? include)
    {
        if (include is not null && !include(key))
        {
            return null;
        }

        if (!builders.TryGetValue(key, out var builder))
        {
            builders[key] = builder = new TallyBuilder();
        }

        return builder;
    }
}
