using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
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
    AlertRuleSource ruleSource,
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
    ILogger<AlertMonitor> logger) : IAggregateObserver, Sources.Ingestion.IImportObserver, IDisposable
{
    /// <summary>
    /// Built-in: a rejected import raises an alert for its source (nothing from the file counted, someone must
    /// look at the errors); the source's next committed import clears it.
    /// </summary>
    public Task ImportFinishedAsync(Sources.Ingestion.ImportRequest request, Sources.Ingestion.ImportResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        var rule = new AlertRule
        {
            Id = $"builtin:import-rejected:{request.Source}",
            Name = $"Import från '{request.Source}' avvisad ({result.Kind}, {result.Errors.Count} fel)",
            Measure = AlertMeasure.ImportRejected,
            Source = request.Source,
            Condition = AlertCondition.Above,
            Threshold = 0,
            Severity = AlertSeverity.Warning,
        };
        return ReportAsync(rule, !result.Committed, result.Committed ? 0 : result.Rejected, cancellationToken);
    }

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
            var rules = ruleSource.Current.Rules;
            var queues = rules.SelectMany(SubjectQueues).Distinct(StringComparer.Ordinal).ToList();
            try
            {
                var snapshots = queues.Count == 0 ? [] : await aggregates.ReadSnapshotsAsync(queues, cancellationToken).ConfigureAwait(false);
                foreach (var rule in rules)
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

            // A rule an administrator removed resolves its open incident instead of leaving it on the screens.
            var ruleIds = rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var orphan in engine.OpenIncidents().Where(i => !i.Rule.Id.StartsWith("builtin:", StringComparison.Ordinal) && !ruleIds.Contains(i.Rule.Id)))
            {
                events.AddRange(engine.Observe(orphan.Rule, new AlertSample(null, null, Active: false), now));
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
                dispatcher.Enqueue(e, ruleSource.Current.Channels);
            }
        }

        await broadcaster.BroadcastAsync(engine.OpenIncidents(), events, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The queues a rule watches: its queue, or every queue of its team.</summary>
    private IReadOnlyList<string> SubjectQueues(AlertRule rule) =>
        rule.Queue is { } queue ? [queue]
        : rule.Team is { } team ? kpis.Organisation.Queues.Where(q => q.Team == team).Select(q => q.Id).ToList()
        : [];

    private async Task<AlertSample> MeasureAsync(
        AlertRule rule, List<string> queues, IReadOnlyList<Driftvy.Web.Sources.Telephony.QueueSnapshot?> snapshots, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var subject = SubjectQueues(rule);
        // A team rule is active while any of its queues is open.
        var active = !rule.OnlyWhenOpen || subject.Count == 0 || subject.Any(q => IsOpen(q, now));
        switch (rule.Measure)
        {
            case AlertMeasure.Waiting:
            case AlertMeasure.LongestWaitSeconds:
                var live = subject.Select(q => snapshots[queues.IndexOf(q)]).ToList();
                // A stale snapshot is not a measurement: the source-silent rule speaks for it.
                if (live.Count == 0 || live.Any(s => s is null || now - s.At > telephony.Value.StaleAfter))
                {
                    return new AlertSample(null, null, active);
                }

                // A team waits as the sum of its queues; its longest wait is the longest of any.
                return new AlertSample(rule.Measure == AlertMeasure.Waiting ? live.Sum(s => s!.Waiting) : live.Max(s => s!.LongestWaitSeconds), null, active);
            case AlertMeasure.Kpi:
                var tallies = new List<QueueTally>();
                foreach (var q in subject)
                {
                    tallies.Add(new QueueTally(q, null, await ReadWindowAsync(rule, q, now, cancellationToken).ConfigureAwait(false)));
                }

                var period = Period.Day(StockholmTime.LocalDate(now));
                var value = kpis.Engine.Evaluate(rule.Kpi!, period, new KpiInputs { Contacts = tallies }, new KpiScope(Queues: subject));
                var reading = kpis.WithStatus(value, period);
                bool? breached = rule.Condition == AlertCondition.OffTarget ? reading.StatusCode == "off-target" : null;
                return new AlertSample(reading.Value.Value, breached, active);
            case AlertMeasure.ProjectedServiceLevel:
                var need = await services.GetRequiredService<Staffing.QueueStaffingService>().NeedAsync(rule.Queue!, cancellationToken).ConfigureAwait(false);
                // Without a fresh snapshot the agents answering are not known: no projection, the source-silent rule speaks.
                if (need is null || need.SnapshotStale || need.RestOfDay.Projection?.ProjectedServiceLevel is not { } projected)
                {
                    return new AlertSample(null, null, active);
                }

                return new AlertSample(projected * 100, rule.Condition == AlertCondition.OffTarget ? need.RestOfDay.Projection.MissesTarget : null, active);
            default:
                return new AlertSample(null, null, active);
        }
    }

    private async Task<ContactTally> ReadWindowAsync(AlertRule rule, string queue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        IReadOnlyList<BucketKey> keys = rule.Window switch
        {
            AlertWindow.Last15Minutes => BucketKey.Range(queue, Granularity.Minute, now.AddMinutes(-15), now).ToList(),
            AlertWindow.Last60Minutes => BucketKey.Range(queue, Granularity.Minute, now.AddMinutes(-60), now).ToList(),
            _ => [BucketKey.ForDay(queue, StockholmTime.LocalDate(now))],
        };
        return (await aggregates.ReadMergedAsync([keys], cancellationToken).ConfigureAwait(false))[0];
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
        if (services.GetService<StackExchange.Redis.IConnectionMultiplexer>() is { } redis)
        {
            events.AddRange(engine.Observe(RedisUnreachable, new AlertSample(redis.IsConnected ? 0 : 1, null, true), now));
        }

        return events;
    }

    private bool IsOpen(string queue, DateTimeOffset now) =>
        kpis.Organisation.Queue(queue) is not { } q || q.OpeningHours.IsOpen(now, kpis.Calendar);

    public void Dispose() => _gate.Dispose();
}
