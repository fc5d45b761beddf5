using Driftvy.Web.Observability;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Storage;

namespace Driftvy.Web.Sources.Telephony;

/// <summary>
/// One poll of the telephony source: the new contacts and the live snapshots go through the ingestion pipeline
/// (facts and tallies stored first, then folded, then screens and alerts told), and the source's health is recorded.
/// </summary>
public sealed class TelephonyPollService(
    ITelephonySource source,
    IContactFactStore facts,
    IngestPipeline pipeline,
    SourceHealth health,
    TimeProvider time,
    Observability.DriftvyMetrics metrics)
{
    /// <summary>Polls once. Returns the number of new contacts stored.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var span = DriftvyTracing.Poll("telephony", source.Id);
        try
        {
            var poll = await source.PollAsync(cancellationToken).ConfigureAwait(false);
            var added = await pipeline.RunAsync(
                async () =>
                {
                    var stored = await facts.AddNewAsync(source.Id, poll.Contacts, cancellationToken).ConfigureAwait(false);
                    return (stored.Count, new StoredFacts(stored, poll.Snapshots));
                },
                fold: true,
                cancellationToken).ConfigureAwait(false);
            health.RecordSuccess(source.Id, poll.At, added);
            metrics.Polled(source.Id, added, time.GetElapsedTime(started), ok: true);
            span.Polled(added);
            return added;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            health.RecordFailure(source.Id, time.GetUtcNow(), ex.Message);
            metrics.Polled(source.Id, 0, time.GetElapsedTime(started), ok: false);
            span.Failed(ex);
            throw;
        }
    }
}
