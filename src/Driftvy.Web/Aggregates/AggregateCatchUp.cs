using Driftvy.Web.Storage;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Aggregates;

/// <summary>
/// Brings the aggregates up to the facts: folds every stored contact after the store's watermark
/// (within the rebuild window), or clears and refolds everything. Because facts are written before
/// they are aggregated, this is how an empty, flushed or replaced store becomes right again.
/// </summary>
public sealed class AggregateCatchUp(
    IContactFactStore facts,
    IAggregateStore store,
    AggregateStatus status,
    IOptions<AggregateOptions> options,
    TimeProvider time,
    ILogger<AggregateCatchUp> logger) : IDisposable
{
    private const int ChunkSize = 5_000;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Folds the facts the store has not seen yet. Returns how many contacts were folded.</summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await FoldAfterWatermarkAsync(cancellationToken).ConfigureAwait(false);
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
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await store.ClearAsync(cancellationToken).ConfigureAwait(false);
            return await FoldAfterWatermarkAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
            status.EndRebuild();
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

    private async Task<long> FoldAfterWatermarkAsync(CancellationToken cancellationToken)
    {
        var watermark = await store.ReadWatermarkAsync(cancellationToken).ConfigureAwait(false);
        var from = time.GetUtcNow() - options.Value.RebuildWindow;
        long folded = 0;
        var chunk = new List<StoredContact>(ChunkSize);
        await foreach (var fact in facts.ReadAfterAsync(watermark, from, cancellationToken).ConfigureAwait(false))
        {
            chunk.Add(fact);
            if (chunk.Count == ChunkSize)
            {
                await store.ApplyAsync(new AggregateBatch(chunk, []), cancellationToken).ConfigureAwait(false);
                folded += chunk.Count;
                chunk = new List<StoredContact>(ChunkSize);
            }
        }

        if (chunk.Count > 0)
        {
            await store.ApplyAsync(new AggregateBatch(chunk, []), cancellationToken).ConfigureAwait(false);
            folded += chunk.Count;
        }

        if (folded > 0)
        {
            logger.LogInformation("Folded {Count} stored contacts into the {Store} aggregates (after seq {Watermark})", folded, store.Kind, watermark);
        }

        return folded;
    }

    public void Dispose() => _gate.Dispose();
}
