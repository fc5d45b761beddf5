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

    /// <summary>The latest live snapshot of each queue, in order; null where none has been seen.</summary>
    Task<IReadOnlyList<QueueSnapshot?>> ReadSnapshotsAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken);

    /// <summary>The highest fact sequence number folded in (0 when empty).</summary>
    Task<long> ReadWatermarkAsync(CancellationToken cancellationToken);

    /// <summary>Removes every aggregate (tallies, snapshots, watermark) before a full rebuild.</summary>
    Task ClearAsync(CancellationToken cancellationToken);
}

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
    public Dictionary<BucketKey, ContactTally> Deltas()
    {
        var deltas = new Dictionary<BucketKey, ContactTally>();
        // Many contacts share a minute; its quarter and (Stockholm) day are worked out once per minute,
        // which keeps the time-zone arithmetic out of the per-contact path of large folds.
        var parents = new Dictionary<BucketKey, (ContactTally Minute, ContactTally Quarter, ContactTally Day)>();
        foreach (var stored in Contacts)
        {
            var c = stored.Contact;
            var minute = BucketKey.For(c.Queue, Granularity.Minute, c.OfferedAt);
            if (!parents.TryGetValue(minute, out var tallies))
            {
                tallies = (
                    TallyOf(deltas, minute),
                    TallyOf(deltas, BucketKey.For(c.Queue, Granularity.Quarter, minute.Start)),
                    TallyOf(deltas, BucketKey.For(c.Queue, Granularity.Day, minute.Start)));
                parents[minute] = tallies;
            }

            tallies.Minute.Add(c);
            tallies.Quarter.Add(c);
            tallies.Day.Add(c);
        }

        return deltas;
    }

    private static ContactTally TallyOf(Dictionary<BucketKey, ContactTally> deltas, BucketKey key)
    {
        if (!deltas.TryGetValue(key, out var tally))
        {
            deltas[key] = tally = new ContactTally();
        }

        return tally;
    }
}
