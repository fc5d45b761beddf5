using System.Threading.Channels;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;

namespace Driftvy.Web.Aggregates;

/// <summary>
/// Brings the hot store up to the facts: folds every stored contact after the store's watermark that screens still
/// show (today and the last hour, <see cref="HotFrom"/>), or clears and refolds that. Because facts are written before
/// they are aggregated, this is how an empty, flushed or replaced store becomes right again.
/// </summary>
/// <remarks>
/// Every fold is a chain of compare-and-set batches: read the watermark, read the facts after it,
/// fold them on condition that the watermark has not moved. So the folded facts are always exactly
/// those up to the watermark, whichever instance folds, however folds race, and whether or not an
/// earlier fold failed half-way (Redis down): nothing is lost, nothing counted twice.
/// </remarks>
public sealed class AggregateCatchUp(
    IContactFactStore facts,
    IAggregateStore store,
    ContactQuarantine quarantine,
    AggregateStatus status,
    TimeProvider time,
    ILogger<AggregateCatchUp> logger) : IDisposable
{
    private const int ChunkSize = 20_000;
    private const int MaxAttempts = 20;
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The highest watermark this process has seen. A watermark below it means the store was flushed,
    // restarted empty or replaced: the refold is then a rebuild and screens say so.
    private long _seen;

    /// <summary>
    /// Folds the facts the store has not seen yet (rebuilding it first if an earlier version wrote it in another
    /// layout). Returns how many contacts were folded.
    /// </summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken)
    {
        if (await store.IsOutdatedAsync(cancellationToken).ConfigureAwait(false))
        {
            logger.LogWarning("The {Store} aggregates were written in an earlier layout", store.Kind);
            return await RebuildAsync(cancellationToken).ConfigureAwait(false);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var folded = await FoldFromWatermarkAsync(cancellationToken).ConfigureAwait(false);
            status.MarkInStep();
            return folded;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Clears the store and folds the facts again; screens show "rebuilding" meanwhile.</summary>
    public async Task<long> RebuildAsync(CancellationToken cancellationToken)
    {
        status.BeginRebuild();
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            status.EndRebuild();
            throw;
        }

        try
        {
            logger.LogInformation("Rebuilding the {Store} aggregates from the facts", store.Kind);
            await store.ClearAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _seen, 0);
            var folded = await FoldFromWatermarkAsync(cancellationToken).ConfigureAwait(false);
            status.MarkInStep();
            return folded;
        }
        finally
        {
            _gate.Release();
            status.EndRebuild();
        }
    }

    /// <summary>
    /// Folds contacts just stored (and live snapshots) into the hot store: the one fold every way in uses (poll, import,
    /// push, drop folder, HTTP pollers). The contacts are folded from memory, in chunks, each on condition that the
    /// watermark is where the previous one left it, the first only if no stored fact lies between the watermark and
    /// them; otherwise (facts stored by another process or instance, an earlier failed fold) everything after the
    /// watermark is folded from the facts, which takes them all in sequence order. A snapshot replaces a queue's
    /// current one only if it is newer (a late file must not rewind the live state). A failure does not fail the
    /// caller: the facts are safe, the store is marked behind and the next poll or check catches up. Returns whether
    /// the hot store is now in step with the facts. Call inside <see cref="ExclusiveAsync{T}"/>, in the same hold as
    /// the store that produced <paramref name="contacts"/>: every writer of contacts serialises there, so a fact with a
    /// lower seq than these is already committed and visible to the check.
    /// </summary>
    internal async Task<bool> FoldStoredAsync(IReadOnlyList<StoredContact> contacts, IReadOnlyList<QueueSnapshot> snapshots, CancellationToken cancellationToken)
    {
        try
        {
            if (contacts.Count == 0 || !await FoldInMemoryAsync(contacts, cancellationToken).ConfigureAwait(false))
            {
                await FoldFromWatermarkAsync(cancellationToken).ConfigureAwait(false);
            }

            if (snapshots.Count > 0)
            {
                var newer = await NewerOnlyAsync(snapshots, cancellationToken).ConfigureAwait(false);
                if (newer.Count > 0)
                {
                    await store.ApplyAsync(AggregateBatch.OfSnapshots(newer), cancellationToken).ConfigureAwait(false);
                }
            }

            status.MarkInStep();
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            status.MarkBehind(time.GetUtcNow(), ex.Message);
            logger.LogWarning(ex, "Folding into the {Store} aggregates failed; the facts are stored and will be caught up", store.Kind);
            return false;
        }
    }

    private async Task<bool> FoldInMemoryAsync(IReadOnlyList<StoredContact> contacts, CancellationToken cancellationToken)
    {
        var expected = await store.ReadWatermarkAsync(cancellationToken).ConfigureAwait(false);
        var first = contacts[0].Seq;
        var from = HotFrom(time.GetUtcNow());
        if (first <= expected || await facts.AnyBetweenAsync(expected, first, from, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // Only what screens still show goes into the hot store: last year's file lands in the durable tallies alone,
        // and the watermark moves past it at the end.
        var list = contacts.Where(c => c.Contact.OfferedAt >= from).ToList();
        for (var i = 0; i < list.Count; i += ChunkSize)
        {
            var chunk = list.GetRange(i, Math.Min(ChunkSize, list.Count - i));
            if (!await ApplyAsync(chunk, expected, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            expected = chunk.Max(c => c.Seq);
            RaiseSeen(expected);
        }

        return await SkipOlderAsync(expected, contacts[^1].Seq, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves the watermark from <paramref name="expected"/> to <paramref name="through"/> when the facts in between were all
    /// left out (older than the hot store keeps), so that they are not read again and the store counts as in step.
    /// </summary>
    private async Task<bool> SkipOlderAsync(long expected, long through, CancellationToken cancellationToken)
    {
        if (through <= expected)
        {
            return true;
        }

        if (!await store.ApplyAsync(new AggregateBatch([], []) { ExpectedWatermark = expected, Through = through }, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        RaiseSeen(through);
        return true;
    }

    private async Task<List<QueueSnapshot>> NewerOnlyAsync(IReadOnlyList<QueueSnapshot> snapshots, CancellationToken cancellationToken)
    {
        var latest = snapshots.GroupBy(s => s.Queue, StringComparer.Ordinal).Select(g => g.MaxBy(s => s.At)!).ToList();
        var current = await store.ReadSnapshotsAsync([.. latest.Select(s => s.Queue)], cancellationToken).ConfigureAwait(false);
        return latest.Where((s, i) => current[i] is not { } c || c.At < s.At).ToList();
    }

    /// <summary>
    /// Where the hot store's contacts begin: today (Stockholm) and the last hour, whichever reaches further back. Screens
    /// read closed days from the durable tallies, so a start or a flush refills today, not weeks.
    /// </summary>
    public static DateTimeOffset HotFrom(DateTimeOffset now)
    {
        var today = Driftvy.Domain.Calendar.StockholmTime.StartOfDayUtc(Driftvy.Domain.Calendar.StockholmTime.LocalDate(now));
        var lastHour = now - TimeSpan.FromHours(1);
        return today < lastHour ? today : lastHour;
    }

    /// <summary>
    /// The periodic check: catches up a store left behind by an outage, and rebuilds one whose watermark
    /// fell (flushed or replaced while running). Returns how many contacts were folded.
    /// </summary>
    internal async Task<long> CheckAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var watermark = await store.ReadWatermarkAsync(cancellationToken).ConfigureAwait(false);
            if (!status.Behind && watermark >= Interlocked.Read(ref _seen))
            {
                RaiseSeen(watermark);
                return 0;
            }

            var folded = await FoldFromWatermarkAsync(cancellationToken).ConfigureAwait(false);
            status.MarkInStep();
            return folded;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            status.MarkBehind(time.GetUtcNow(), ex.Message);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Serialises fact folding with polls, so a poll's batch and a catch-up never interleave.</summary>
    internal async Task<T> ExclusiveAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<long> FoldFromWatermarkAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        var rebuilding = false;
        try
        {
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var watermark = await store.ReadWatermarkAsync(cancellationToken).ConfigureAwait(false);
                var seen = Interlocked.Read(ref _seen);
                if (watermark < seen && !rebuilding)
                {
                    logger.LogWarning("The {Store} aggregates' watermark fell from {Seen} to {Watermark} (flushed, restarted empty or replaced): rebuilding from the facts", store.Kind, seen, watermark);
                    status.BeginRebuild();
                    rebuilding = true;
                }

                Interlocked.Exchange(ref _seen, watermark);
                var (folded, complete) = await FoldAfterAsync(watermark, cancellationToken).ConfigureAwait(false);
                total += folded;
                if (complete)
                {
                    if (total > 0)
                    {
                        logger.LogInformation("Folded {Count} stored contacts into the {Store} aggregates (after seq {Watermark})", total, store.Kind, watermark);
                    }

                    return total;
                }

                // Another folder (an instance, a rebuild) moved the watermark: start again from where it is.
            }

            throw new InvalidOperationException($"The aggregate watermark kept moving under {MaxAttempts} catch-up attempts.");
        }
        finally
        {
            if (rebuilding)
            {
                status.EndRebuild();
            }
        }
    }

    /// <summary>
    /// Folds the facts after <paramref name="watermark"/> in chunks, each on condition that the previous one
    /// left the watermark where this fold expects it. Reading the next chunk overlaps folding this one.
    /// </summary>
    private async Task<(long Folded, bool Complete)> FoldAfterAsync(long watermark, CancellationToken cancellationToken)
    {
        var from = HotFrom(time.GetUtcNow());
        // Read before the facts: every fact up to it that the read below does not return lies before the hot store.
        var last = await facts.MaxSeqAsync(cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var chunks = Channel.CreateBounded<List<StoredContact>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(
            async () =>
            {
                try
                {
                    var chunk = new List<StoredContact>(ChunkSize);
                    await foreach (var fact in facts.ReadAfterAsync(watermark, from, stop.Token).ConfigureAwait(false))
                    {
                        chunk.Add(fact);
                        if (chunk.Count == ChunkSize)
                        {
                            await chunks.Writer.WriteAsync(chunk, stop.Token).ConfigureAwait(false);
                            chunk = new List<StoredContact>(ChunkSize);
                        }
                    }

                    if (chunk.Count > 0)
                    {
                        await chunks.Writer.WriteAsync(chunk, stop.Token).ConfigureAwait(false);
                    }

                    chunks.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    chunks.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);

        long folded = 0;
        var expected = watermark;
        try
        {
            await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await ApplyAsync(chunk, expected, cancellationToken).ConfigureAwait(false))
                {
                    return (folded, false);
                }

                folded += chunk.Count;
                expected = chunk.Max(c => c.Seq);
                RaiseSeen(expected);
            }

            return (folded, await SkipOlderAsync(expected, last, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Folds one chunk of consecutive stored contacts on condition that the watermark is <paramref name="expected"/>. When
    /// the fold throws and the store cannot fold some of the contacts on their own (<see cref="IAggregateStore.Prepare"/>),
    /// those are quarantined and the rest folded, the watermark moving past them all: one fact never stops the fold. A
    /// failure no single contact explains (the store does not answer) is thrown as it came.
    /// </summary>
    private async Task<bool> ApplyAsync(List<StoredContact> chunk, long expected, CancellationToken cancellationToken)
    {
        var batch = new AggregateBatch(chunk, []) { ExpectedWatermark = expected };
        try
        {
            return await store.ApplyAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<RefusedContact> refused;
            try
            {
                refused = ContactQuarantine.Guard(chunk, c =>
                {
                    store.Prepare(c);
                    return true;
                }).Refused;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                refused = [];
            }

            if (refused.Count == 0)
            {
                throw;
            }

            logger.LogError(ex, "{Count} stored contacts cannot be folded into the {Store} aggregates: quarantining them", refused.Count, store.Kind);
            await quarantine.MoveAsync(refused, "fold", cancellationToken).ConfigureAwait(false);
            var gone = refused.Select(r => r.Seq).ToHashSet();
            var rest = new AggregateBatch([.. chunk.Where(c => !gone.Contains(c.Seq))], []) { ExpectedWatermark = expected, Through = batch.LastSeq };
            return await store.ApplyAsync(rest, cancellationToken).ConfigureAwait(false);
        }
    }

    private void RaiseSeen(long watermark)
    {
        long current;
        while (watermark > (current = Interlocked.Read(ref _seen)) && Interlocked.CompareExchange(ref _seen, watermark, current) != current)
        {
        }
    }

    public void Dispose() => _gate.Dispose();
}
