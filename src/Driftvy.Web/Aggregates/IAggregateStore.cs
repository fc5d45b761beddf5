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

    /// <summary>
    /// Works out what <see cref="ApplyAsync"/> would add for these contacts without adding it, and throws what it would
    /// throw for a contact it cannot fold (an instant at the calendar's edge, say): how a fold that failed finds the
    /// contacts to quarantine. Touches nothing outside the process.
    /// </summary>
    void Prepare(IReadOnlyList<StoredContact> contacts) => _ = new AggregateBatch(contacts, []).Deltas();

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
    /// for a query whose offered count still equals the one the caller holds (see <see cref="TallyQuery"/>); and for
    /// each chart, the quarter hours of its day that moved since the caller last read them (see <see cref="QuarterQuery"/>).
    /// Also returns the store's generation, which changes whenever the store is cleared, so that a caller's cache
    /// of buckets knows when what it holds no longer belongs to this store.
    /// </summary>
    /// <remarks>
    /// The default reads everything in full through <see cref="ReadMergedAsync"/> and never leaves anything out
    /// (callers must accept a tally where they could have had null); both stores override it with a real one-step read.
    /// </remarks>
    async Task<TallyRead> ReadQueriesAsync(IReadOnlyList<TallyQuery> queries, IReadOnlyList<QuarterQuery> charts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(charts);
        var quarterKeys = charts.Select(c => BucketKey.QuartersOf(c.Queue, c.Day).ToList()).ToList();
        var merged = await ReadMergedAsync([.. queries.Select(q => q.Buckets), .. quarterKeys.SelectMany(k => k).Select(k => (IReadOnlyList<BucketKey>)[k])], cancellationToken).ConfigureAwait(false);
        var next = queries.Count;
        var quarterReads = new List<QuarterRead?>(charts.Count);
        for (var c = 0; c < charts.Count; c++)
        {
            var tallies = quarterKeys[c].Select(k => (k.Start, Tally: merged[next++])).Where(x => x.Tally.Offered > 0).ToList();
            quarterReads.Add(new QuarterRead(
                tallies.ToDictionary(x => x.Start, x => x.Tally.Offered),
                charts[c].CountsOnly ? new Dictionary<DateTimeOffset, ContactTally>() : tallies.ToDictionary(x => x.Start, x => charts[c].Project(x.Tally))));
        }

        return new TallyRead(0, [.. queries.Select((q, i) => q.Project(merged[i]))]) { Charts = quarterReads };
    }

    /// <summary>Only tallies: <see cref="ReadQueriesAsync(IReadOnlyList{TallyQuery}, IReadOnlyList{QuarterQuery}, CancellationToken)"/> without charts.</summary>
    Task<TallyRead> ReadQueriesAsync(IReadOnlyList<TallyQuery> queries, CancellationToken cancellationToken) =>
        ReadQueriesAsync(queries, [], cancellationToken);

    /// <summary>The latest live snapshot of each queue, in order; null where none has been seen.</summary>
    Task<IReadOnlyList<QueueSnapshot?>> ReadSnapshotsAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the store holds aggregates in a layout this code no longer reads (written by an earlier version):
    /// it is then cleared and rebuilt from the facts at start-up.
    /// </summary>
    Task<bool> IsOutdatedAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>The highest fact sequence number folded in (0 when empty).</summary>
    Task<long> ReadWatermarkAsync(CancellationToken cancellationToken);

    /// <summary>Removes every aggregate (tallies, snapshots, watermark) before a full rebuild.</summary>
    Task ClearAsync(CancellationToken cancellationToken);
}

/// <summary>One tally to read with <see cref="IAggregateStore.ReadQueriesAsync(IReadOnlyList{TallyQuery}, IReadOnlyList{QuarterQuery}, CancellationToken)"/>: its buckets, merged.</summary>
/// <remarks>
/// Folds only ever add contacts, in sequence order, and every contact adds one to its buckets' offered count;
/// so within one generation a set of buckets whose offered count has not moved has not changed at all. That is
/// what <see cref="UnlessOffered"/> relies on.
/// </remarks>
public sealed record TallyQuery(IReadOnlyList<BucketKey> Buckets)
{
    /// <summary>
    /// Ascending whole seconds to project the waits onto (<see cref="ContactTally.ProjectOnto"/>); empty for counts
    /// and sums only; null (the default) for the full histograms.
    /// </summary>
    public IReadOnlyList<int>? Thresholds { get; init; }

    /// <summary>
    /// When set and the buckets' offered count equals it, the query comes back null: the caller's copy is current.
    /// (A store may also answer in full; callers take either.)
    /// </summary>
    public long? UnlessOffered { get; init; }

    /// <summary>A tally as this query asks for it (projected when it names thresholds).</summary>
    internal ContactTally Project(ContactTally tally) => Thresholds is { } thresholds ? tally.ProjectOnto(thresholds) : tally;
}

/// <summary>
/// The quarter hours of one queue's local day, as an intraday chart needs them: every quarter's offered count, and
/// the tallies of the quarters whose count moved since the caller's copy (<see cref="Known"/>). A store keeps the
/// day's quarter counts together, so this costs one look-up for the day plus one per quarter that moved, whatever
/// the hour: steady screens read almost nothing, and a fold costs the quarters it touched.
/// </summary>
public sealed record QuarterQuery(string Queue, DateOnly Day)
{
    /// <summary>Ascending whole seconds to project the returned tallies' waits onto; null for the full histograms.</summary>
    public IReadOnlyList<int>? Thresholds { get; init; }

    /// <summary>Only the offered counts (no tallies come back).</summary>
    public bool CountsOnly { get; init; }

    /// <summary>
    /// The offered count per quarter start that the caller holds: a quarter whose count is still that comes back
    /// without its tally (its count is unchanged, so is it). Null: every quarter's tally comes back. Not to be changed
    /// once passed: a store may keep what it derived from it for the next read with the same one.
    /// </summary>
    public IReadOnlyDictionary<DateTimeOffset, long>? Known { get; init; }

    /// <summary>When set and the day's offered count (all its quarters) equals it, the chart comes back null.</summary>
    public long? UnlessOffered { get; init; }

    internal ContactTally Project(ContactTally tally) => Thresholds is { } thresholds ? tally.ProjectOnto(thresholds) : tally;
}

/// <summary>A day's quarter hours as <see cref="QuarterQuery"/> asked for them.</summary>
/// <param name="Offered">The offered count of every quarter of the day with at least one contact, by its start.</param>
/// <param name="Tallies">The quarters whose count differs from the caller's <see cref="QuarterQuery.Known"/> (all, without it), projected as asked.</param>
public sealed record QuarterRead(IReadOnlyDictionary<DateTimeOffset, long> Offered, IReadOnlyDictionary<DateTimeOffset, ContactTally> Tallies)
{
    /// <summary>The day's offered count (the sum of its quarters').</summary>
    public long DayOffered { get; } = Offered.Values.Sum();
}

/// <summary>The answer to <see cref="IAggregateStore.ReadQueriesAsync(IReadOnlyList{TallyQuery}, IReadOnlyList{QuarterQuery}, CancellationToken)"/>: a tally per query, null where unchanged.</summary>
/// <param name="Generation">Changes whenever the store is cleared (0 for a store never cleared).</param>
/// <param name="Tallies">One per query, in order.</param>
public sealed record TallyRead(long Generation, IReadOnlyList<ContactTally?> Tallies)
{
    /// <summary>One per chart query, in order; null where the day's count was unchanged.</summary>
    public IReadOnlyList<QuarterRead?> Charts { get; init; } = [];
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

    /// <summary>
    /// The highest fact sequence number the batch accounts for, when facts after its contacts were left out because they
    /// lie before what the hot store keeps (<see cref="AggregateCatchUp.HotFrom"/>): the watermark moves past them too,
    /// so they are not read again. Null: the batch's own contacts.
    /// </summary>
    public long? Through { get; init; }

    public static AggregateBatch OfSnapshots(IReadOnlyList<QueueSnapshot> snapshots) => new([], snapshots);

    /// <summary>Whether the batch moves the watermark (it has contacts, or accounts for facts left out).</summary>
    public bool MovesWatermark => Contacts.Count > 0 || Through is not null;

    public long FirstSeq => Contacts.Count == 0 ? Through ?? 0 : Contacts.Min(c => c.Seq);

    public long LastSeq => Math.Max(Contacts.Count == 0 ? 0 : Contacts.Max(c => c.Seq), Through ?? 0);

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
