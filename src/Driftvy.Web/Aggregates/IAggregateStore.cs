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
    /// watermark was already folded and is ignored, so a retried batch never counts twice.
    /// </summary>
    Task ApplyAsync(AggregateBatch batch, CancellationToken cancellationToken);

    /// <summary>The tallies of the given buckets, in order; an empty tally where nothing was folded.</summary>
    Task<IReadOnlyList<ContactTally>> ReadTalliesAsync(IReadOnlyList<BucketKey> keys, CancellationToken cancellationToken);

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
    public static AggregateBatch OfSnapshots(IReadOnlyList<QueueSnapshot> snapshots) => new([], snapshots);

    public long FirstSeq => Contacts.Count == 0 ? 0 : Contacts.Min(c => c.Seq);

    public long LastSeq => Contacts.Count == 0 ? 0 : Contacts.Max(c => c.Seq);

    /// <summary>The batch pre-aggregated per bucket: what the stores add up.</summary>
    public Dictionary<BucketKey, ContactTally> Deltas()
    {
        var deltas = new Dictionary<BucketKey, ContactTally>();
        foreach (var stored in Contacts)
        {
            var c = stored.Contact;
            foreach (var g in AllGranularities)
            {
                var key = BucketKey.For(c.Queue, g, c.OfferedAt);
                if (!deltas.TryGetValue(key, out var tally))
                {
                    deltas[key] = tally = new ContactTally();
                }

                tally.Add(c);
            }
        }

        return deltas;
    }

    private static readonly Granularity[] AllGranularities = [Granularity.Minute, Granularity.Quarter, Granularity.Day];
}
