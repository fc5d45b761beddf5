using System.Threading.Channels;
using Driftvy.Web.Storage;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Aggregates;

/// <summary>
/// Brings the aggregates up to the facts: folds every stored contact after the store's watermark
/// (within the rebuild window), or clears and refolds everything. Because facts are written before
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
    AggregateStatus status,
    IOptions<AggregateOptions> options,
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
    /// After a poll stored its facts: folds everything after the watermark (the poll's facts, and any an
    /// earlier failed fold left behind) and stores the live snapshots. A failure does not fail the poll:
    /// the facts are safe, the store is marked behind and the next poll or check catches up.
    /// Returns whether the aggregates are now in step with the facts. Call inside <see cref="ExclusiveAsync{T}"/>.
    /// </summary>
    internal async Task<bool> FoldAfterPollAsync(AggregateBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await FoldFromWatermarkAsync(cancellationToken).ConfigureAwait(false);
            if (batch.Snapshots.Count > 0)
            {
                await store.ApplyAsync(AggregateBatch.OfSnapshots(batch.Snapshots), cancellationToken).ConfigureAwait(false);
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
        var from = time.GetUtcNow() - options.Value.RebuildWindow;
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
                var batch = new AggregateBatch(chunk, []) { ExpectedWatermark = expected };
                if (!await store.ApplyAsync(batch, cancellationToken).ConfigureAwait(false))
                {
                    return (folded, false);
                }

                folded += chunk.Count;
                expected = batch.LastSeq;
                RaiseSeen(expected);
            }

            return (folded, true);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(false);
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
