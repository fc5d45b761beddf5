using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Periods;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Alerts.Delivery;
using Driftvy.Web.Kpis;
using Driftvy.Web.Sources;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Alerts;

/// <summary>
/// Measures every rule's subject from the aggregates and source health, feeds the alert engine, and
/// passes what happened to the screens, the alarm log and the delivery channels. Called after every
/// aggregate update (so an alert reaches the screen within a second of its data) and on a short timer
/// (so a silent source is noticed even though nothing arrives).
/// </summary>
internal sealed class AlertMonitor(
    AlertEngine engine,
    AlertRuleSet rules,
    IAggregateStore aggregates,
    KpiSetup kpis,
    SourceHealth sources,
    ITelephonySource telephonySource,
    IContactFactStore facts,
    IServiceProvider services,
    IOptions<TelephonyOptions> telephony,
    IAlertLog log,
    IAlertBroadcaster broadcaster,
    AlertDispatcher dispatcher,
    TimeProvider time,
    ILogger<AlertMonitor> logger) : IAggregateObserver, IDisposable
{
    public Task AggregatesChangedAsync(CancellationToken cancellationToken) => EvaluateAsync(cancellationToken);

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The built-in rules that need no configuration.</summary>
    internal static IEnumerable<AlertRule> BuiltInRules(TelephonyOptions telephony, string source) =>
    [
        new AlertRule
        {
            Id = $"builtin:source-silent:{source}",
            Name = $"Källan '{source}' har inte levererat data",
            Measure = AlertMeasure.SourceSilentSeconds,
            Source = source,
            Condition = AlertCondition.Above,
            Threshold = telephony.StaleAfter.TotalSeconds,
            ClearThreshold = telephony.PollInterval.TotalSeconds * 2,
            Severity = AlertSeverity.Critical,
        },
    ];

    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            var events = new List<AlertEvent>();
            var queueRules = rules.Rules.Where(r => r.Queue is not null).ToList();
            var queues = queueRules.Select(r => r.Queue!).Distinct(StringComparer.Ordinal).ToList();
            try
            {
                var snapshots = queues.Count == 0 ? [] : await aggregates.ReadSnapshotsAsync(queues, cancellationToken).ConfigureAwait(false);
                foreach (var rule in rules.Rules)
                {
                    var sample = await MeasureAsync(rule, queues, snapshots, now, cancellationToken).ConfigureAwait(false);
                    events.AddRange(engine.Observe(rule, sample, now));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The aggregates cannot be read (a store is down): the rules keep their state, and the
                // store checks below raise the outage itself.
                logger.LogWarning("Alert rules not measured: {Error}", ex.Message);
            }

            var sourceIds = sources.All().Select(s => s.Source).Append(telephonySource.Id).Distinct(StringComparer.Ordinal);
            foreach (var rule in sourceIds.SelectMany(id => BuiltInRules(telephony.Value, id)))
            {
                var status = sources.Get(rule.Source!);
                var silent = status?.LastSuccessAt is { } at ? (now - at).TotalSeconds : (double?)null;
                events.AddRange(engine.Observe(rule, new AlertSample(silent, null, telephony.Value.Enabled), now));
            }

            events.AddRange(await CheckStoresAsync(now, cancellationToken).ConfigureAwait(false));
            await PublishAsync(events, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Raises or clears a condition reported by another part of the app (failing channel, rejected import).</summary>
    public async Task ReportAsync(AlertRule rule, bool breached, double? value, CancellationToken cancellationToken)
    {
        var events = engine.Observe(rule, new AlertSample(value, breached, true), time.GetUtcNow());
        await PublishAsync(events, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AlertIncident?> AcknowledgeAsync(Guid id, string by, string? comment, CancellationToken cancellationToken)
    {
        var ack = engine.Acknowledge(id, by, comment, time.GetUtcNow());
        if (ack is null)
        {
            return null;
        }

        await PublishAsync([ack], cancellationToken).ConfigureAwait(false);
        return ack.Incident;
    }

    private async Task PublishAsync(IReadOnlyList<AlertEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        foreach (var e in events)
        {
            logger.LogInformation("Alert {Kind}: {Rule} ({Severity}) value {Value}", e.Kind, e.Incident.Rule.Name, e.Incident.Rule.Severity, e.Incident.Value);
            await log.SaveAsync(e.Incident, cancellationToken).ConfigureAwait(false);
            if (e.Notify)
            {
                dispatcher.Enqueue(e, rules.Channels);
            }
        }

        await broadcaster.BroadcastAsync(engine.OpenIncidents(), events, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AlertSample> MeasureAsync(
        AlertRule rule, List<string> queues, IReadOnlyList<Driftvy.Web.Sources.Telephony.QueueSnapshot?> snapshots, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var active = !rule.OnlyWhenOpen || rule.Queue is null || IsOpen(rule.Queue, now);
        switch (rule.Measure)
        {
            case AlertMeasure.Waiting:
            case AlertMeasure.LongestWaitSeconds:
                var live = snapshots[queues.IndexOf(rule.Queue!)];
                // A stale snapshot is not a measurement: the source-silent rule speaks for it.
                if (live is null || now - live.At > telephony.Value.StaleAfter)
                {
                    return new AlertSample(null, null, active);
                }

                return new AlertSample(rule.Measure == AlertMeasure.Waiting ? live.Waiting : live.LongestWaitSeconds, null, active);
            case AlertMeasure.Kpi:
                var tally = await ReadWindowAsync(rule, now, cancellationToken).ConfigureAwait(false);
                var today = StockholmTime.LocalDate(now);
                var reading = kpis.EvaluateQueue(rule.Kpi!, rule.Queue!, Period.Day(today), tally);
                bool? breached = rule.Condition == AlertCondition.OffTarget ? reading.StatusCode == "off-target" : null;
                return new AlertSample(reading.Value.Value, breached, active);
            default:
                return new AlertSample(null, null, active);
        }
    }

    private async Task<ContactTally> ReadWindowAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        IReadOnlyList<BucketKey> keys = rule.Window switch
        {
            AlertWindow.Last15Minutes => BucketKey.Range(rule.Queue!, Granularity.Minute, now.AddMinutes(-15), now).ToList(),
            AlertWindow.Last60Minutes => BucketKey.Range(rule.Queue!, Granularity.Minute, now.AddMinutes(-60), now).ToList(),
            _ => [BucketKey.ForDay(rule.Queue!, StockholmTime.LocalDate(now))],
        };
        var tallies = await aggregates.ReadTalliesAsync(keys, cancellationToken).ConfigureAwait(false);
        var merged = new ContactTally();
        foreach (var t in tallies)
        {
            merged.Merge(t);
        }

        return merged;
    }

    private static readonly AlertRule DatabaseUnreachable = new()
    {
        Id = "builtin:database-unreachable",
        Name = "Databasen går inte att nå",
        Measure = AlertMeasure.StoreUnreachable,
        Condition = AlertCondition.Above,
        Threshold = 0,
        Severity = AlertSeverity.Critical,
    };

    private static readonly AlertRule RedisUnreachable = DatabaseUnreachable with { Id = "builtin:redis-unreachable", Name = "Redis går inte att nå" };

    private async Task<List<AlertEvent>> CheckStoresAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var events = new List<AlertEvent>();
        double databaseDown = 0;
        try
        {
            await facts.MaxSeqAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            databaseDown = 1;
        }

        events.AddRange(engine.Observe(DatabaseUnreachable, new AlertSample(databaseDown, null, true), now));
        if (services.GetService<Aggregates.Redis.IRedisConnection>() is { } redis)
        {
            events.AddRange(engine.Observe(RedisUnreachable, new AlertSample(redis.IsConnected ? 0 : 1, null, true), now));
        }

        return events;
    }

    private bool IsOpen(string queue, DateTimeOffset now) =>
        kpis.Organisation.Queue(queue) is not { } q || q.OpeningHours.IsOpen(now, kpis.Calendar);

    public void Dispose() => _gate.Dispose();
}
