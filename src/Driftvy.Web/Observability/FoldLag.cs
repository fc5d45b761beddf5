using System.Diagnostics.Metrics;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Infrastructure;
using Driftvy.Web.Storage;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Observability;

/// <summary>
/// How far the aggregates lag behind the stored facts, sampled every <see cref="TelemetryOptions.FoldLagEvery"/>
/// rather than read on a scrape, so a scrape never waits on the database or Redis. The lag in seconds is the time
/// since the folds last kept up: since a sample found the watermark at the facts' newest sequence, or past everything
/// the previous sample had seen stored. It grows only while some stored contact has waited through a whole sample.
/// </summary>
public sealed class FoldLag(IContactFactStore facts, IAggregateStore aggregates, AggregateStatus status, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Sample? _last;

    private sealed record Sample(long FactsMaxSeq, long Watermark, DateTimeOffset At, DateTimeOffset KeptUpAt);

    /// <summary>Contacts stored but not folded at the last sample; null before the first.</summary>
    public long? Contacts
    {
        get
        {
            lock (_gate)
            {
                return _last is { } s ? Math.Max(0, s.FactsMaxSeq - s.Watermark) : null;
            }
        }
    }

    /// <summary>Seconds the folds have not kept up, at the last sample; null before the first.</summary>
    public double? Seconds
    {
        get
        {
            lock (_gate)
            {
                return _last is { } s ? (s.At - s.KeptUpAt).TotalSeconds : null;
            }
        }
    }

    /// <summary>Reads the facts' newest sequence and the aggregates' watermark once.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var maxSeq = await facts.MaxSeqAsync(cancellationToken).ConfigureAwait(false);
        var watermark = await aggregates.ReadWatermarkAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var keptUp = watermark >= maxSeq || (_last is { } previous && watermark >= previous.FactsMaxSeq);
            _last = new Sample(maxSeq, watermark, now, keptUp ? now : _last?.KeptUpAt ?? now);
        }
    }

    /// <summary>A sample failed (the database or the store does not answer): the folds are not keeping up meanwhile.</summary>
    public void SampleFailed()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            _last = _last is { } s ? s with { At = now } : null;
        }
    }

    internal IEnumerable<Measurement<long>> MeasureContacts() => Contacts is { } c ? [new Measurement<long>(c)] : [];

    internal IEnumerable<Measurement<double>> MeasureSeconds() => Seconds is { } s ? [new Measurement<double>(s)] : [];

    internal int MeasureBehind() => status.Behind || status.State == AggregateState.Rebuilding ? 1 : 0;
}

/// <summary>Samples <see cref="FoldLag"/> on its interval; a failed sample (a store down) is logged and the last one kept.</summary>
internal sealed class FoldLagSampler(FoldLag lag, IOptions<TelemetryOptions> options, TimeProvider time, ILogger<FoldLagSampler> logger)
    : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Periodic.RunAsync(
        options.Value.FoldLagEvery, time, lag.SampleAsync, ex =>
        {
            lag.SampleFailed();
            logger.LogDebug(ex, "Fold lag not sampled");
        }, stoppingToken);
}
