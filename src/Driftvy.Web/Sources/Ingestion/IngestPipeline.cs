using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Observability;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;

namespace Driftvy.Web.Sources.Ingestion;

/// <summary>What one store step of ingestion committed, for the hot store and the screens.</summary>
/// <param name="Contacts">Contacts that were new, with their sequence numbers (folded into the hot store).</param>
/// <param name="Snapshots">Live queue snapshots that were new (replace a queue's current one when newer).</param>
/// <param name="BackOffice">Whether cases, volumes or staffing changed (screens read those from the database).</param>
public sealed record StoredFacts(IReadOnlyList<StoredContact> Contacts, IReadOnlyList<QueueSnapshot> Snapshots, bool BackOffice = false)
{
    public static StoredFacts None { get; } = new([], []);

    /// <summary>Whether anything a screen shows changed.</summary>
    public bool ChangesScreens => BackOffice || Contacts.Count > 0 || Snapshots.Count > 0;
}

/// <summary>
/// The one path by which data comes in, whichever way it arrives (telephony poll, HTTP pollers, import from the command
/// line, push API, drop folder, demo history): the caller validates and stores — facts and their durable tallies in
/// one transaction — then this folds what was stored into the hot store (<see cref="AggregateCatchUp.FoldStoredAsync"/>)
/// and tells the screens and the alerts. Storing and folding happen in one hold of the contact lock, so the hot store
/// folds facts in the order of their sequence numbers, whoever stored them.
/// </summary>
public sealed class IngestPipeline(
    AggregateCatchUp catchUp,
    AggregateStatus status,
    IDashboardNotifier notifier,
    IEnumerable<IAggregateObserver> observers,
    TimeProvider time,
    ILogger<IngestPipeline> logger,
    Observability.DriftvyMetrics metrics,
    FoldLag foldLag)
{
    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="store"/>, then folds and notifies. With <paramref name="fold"/> false (the command line) it only
    /// stores: the running host folds the stored facts at its next catch-up.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<(T Result, StoredFacts Stored)>> store, bool fold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!fold)
        {
            return (await store().ConfigureAwait(false)).Result;
        }

        var arrived = time.GetTimestamp();
        // Give the start-up catch-up a head start, but never wait on it for ever: with Redis down at start-up the
        // facts must still be stored (they are folded once Redis answers).
        await Task.WhenAny(status.WhenReady, Task.Delay(StartupWait, time, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var (result, stored, inStep) = await catchUp.ExclusiveAsync(
            async () =>
            {
                var (r, s) = await store().ConfigureAwait(false);
                // Also folds what an earlier failed fold or another process left after the watermark.
                using var span = DriftvyTracing.Fold();
                var folded = await catchUp.FoldStoredAsync(s.Contacts, s.Snapshots, cancellationToken).ConfigureAwait(false);
                span.Folded(s.Contacts.Count, s.Snapshots.Count, folded, foldLag);
                return (r, s, folded);
            },
            cancellationToken).ConfigureAwait(false);

        if (inStep && stored.ChangesScreens)
        {
            try
            {
                await notifier.PublishAllAsync(cancellationToken).ConfigureAwait(false);
                metrics.ScreensUpdated(time.GetElapsedTime(arrived));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Screens could not be told about new data");
            }
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
                // An observer's trouble (alert delivery, a store outage) never fails the ingestion itself.
                logger.LogWarning(ex, "An aggregate observer failed after new data came in");
            }
        }

        return result;
    }
}
