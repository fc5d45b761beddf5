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
    IAggregateStore aggregates,
    AggregateCatchUp catchUp,
    AggregateStatus status,
    SourceHealth health,
    IDashboardNotifier notifier,
    IEnumerable<IAggregateObserver> observers,
    TimeProvider time)
{
    /// <summary>Polls once. Returns the number of new contacts stored and folded.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        await status.WhenReady.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var poll = await source.PollAsync(cancellationToken).ConfigureAwait(false);
            var added = await catchUp.ExclusiveAsync(
                async () =>
                {
                    var stored = await facts.AddNewAsync(source.Id, poll.Contacts, cancellationToken).ConfigureAwait(false);
                    await aggregates.ApplyAsync(new AggregateBatch(stored, poll.Snapshots), cancellationToken).ConfigureAwait(false);
                    return stored.Count;
                },
                cancellationToken).ConfigureAwait(false);
            health.RecordSuccess(source.Id, poll.At, added);
            await notifier.PublishAllAsync(cancellationToken).ConfigureAwait(false);
            foreach (var observer in observers)
            {
                await observer.AggregatesChangedAsync(cancellationToken).ConfigureAwait(false);
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
