using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Storage;

namespace Driftvy.Web.Sources.Telephony;

/// <summary>
/// One poll of the telephony source: store the new contacts as facts, fold them into the aggregates
/// (facts first, so the aggregates can always be rebuilt), record the source's health, and push the
/// changed boards to the screens.
/// </summary>
public sealed class TelephonyPollService(
    ITelephonySource source,
    IContactFactStore facts,
    AggregateCatchUp catchUp,
    AggregateStatus status,
    SourceHealth health,
    IDashboardNotifier notifier,
    IEnumerable<IAggregateObserver> observers,
    TimeProvider time,
    ILogger<TelephonyPollService> logger)
{
    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(10);

    /// <summary>Polls once. Returns the number of new contacts stored and folded.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        // Give the start-up catch-up a head start, but never wait on it for ever: with Redis down at
        // start-up the facts must still be stored (they are folded once Redis answers).
        await Task.WhenAny(status.WhenReady, Task.Delay(StartupWait, time, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var poll = await source.PollAsync(cancellationToken).ConfigureAwait(false);
            var (added, inStep) = await catchUp.ExclusiveAsync(
                async () =>
                {
                    var stored = await facts.AddNewAsync(source.Id, poll.Contacts, cancellationToken).ConfigureAwait(false);
                    // Folds everything after the store's watermark, not just this batch: facts an earlier
                    // failed fold left behind (Redis down) are caught up first, so none is ever skipped.
                    var folded = await catchUp.FoldAfterPollAsync(new AggregateBatch(stored, poll.Snapshots), cancellationToken).ConfigureAwait(false);
                    return (stored.Count, folded);
                },
                cancellationToken).ConfigureAwait(false);
            health.RecordSuccess(source.Id, poll.At, added);
            if (inStep)
            {
                await notifier.PublishAllAsync(cancellationToken).ConfigureAwait(false);
            }

            // Alerts are evaluated even when the fold fell behind: an unreachable store is itself an alert.
            foreach (var observer in observers)
            {
                try
                {
                    await observer.AggregatesChangedAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // An observer's trouble (alert delivery, a store outage) never fails the poll itself.
                    logger.LogWarning(ex, "An aggregate observer failed after the poll");
                }
            }

            return added;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            health.RecordFailure(source.Id, time.GetUtcNow(), ex.Message);
            throw;
        }
    }
}
