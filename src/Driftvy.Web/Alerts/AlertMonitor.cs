using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Alerts.Delivery;
using Driftvy.Web.Alerts.State;
using Driftvy.Web.Kpis;
using Driftvy.Web.Observability;
using Driftvy.Web.Sources;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Alerts;

/// <summary>
/// Measures every rule's subject from the aggregates and source health, feeds the alert engine, and
/// passes what happened to the screens, the alarm log and the delivery channels. Called after every
/// aggregate update (so an alert reaches the screen within a second of its data) and on a short timer
/// (so a silent source is noticed even though nothing arrives). With several instances only the holder of the
/// alert lease evaluates; each evaluation starts from the state in the database and stores what it changed, with the
/// notifications it decided, in one transaction, so a notification is recorded (and sent) once in the cluster.
/// </summary>
internal sealed class AlertMonitor(
    AlertEngine engine,
    AlertRuleSource ruleSource,
    IAggregateStore aggregates,
    KpiSetup kpis,
    SourceHealth sources,
    SourceCadence cadence,
    ITelephonySource telephonySource,
    IContactFactStore facts,
    IServiceProvider services,
    IOptions<TelephonyOptions> telephony,
    AlertStateStore store,
    AlertLease lease,
    IAlertBroadcaster broadcaster,
    AlertDispatcher dispatcher,
    AlertPictures pictures,
    IOptions<AlertDeliveryOptions> delivery,
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

    /// <summary>
    /// The built-in "source silent" rule of one watched source: it fires when the source has delivered nothing for its
    /// own cadence (<see cref="SourceCadence"/>: a telephony poll within seconds, a nightly push within a working day)
    /// and clears at two thirds of it, i.e. at the next delivery.
    /// </summary>
    internal static AlertRule SilentSourceRule(string source, TimeSpan silentAfter) => new()
    {
        Id = $"builtin:source-silent:{source}",
        Name = $"Källan '{source}' har inte levererat data",
        Measure = AlertMeasure.SourceSilentSeconds,
        Source = source,
        Condition = AlertCondition.Above,
        Threshold = silentAfter.TotalSeconds,
        ClearThreshold = silentAfter.TotalSeconds * 2 / 3,
        Severity = AlertSeverity.Critical,
    };

    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        if (!await lease.TryHoldAsync(cancellationToken).ConfigureAwait(false))
        {
            // Another instance evaluates; this one stands by and takes over when that lease runs out.
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var span = DriftvyTracing.AlertEvaluation();
        try
        {
            await RestoreAsync(null, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var events = new List<AlertEvent>();
            var observed = new List<string>();
            IReadOnlyList<AlertEvent> Observe(AlertRule rule, AlertSample sample)
            {
                observed.Add(rule.Id);
                return engine.Observe(rule, sample, now);
            }

            var rules = ruleSource.Current.Rules;
            var queues = rules.SelectMany(SubjectQueues).Distinct(StringComparer.Ordinal).ToList();
            try
            {
                var snapshots = queues.Count == 0 ? [] : await aggregates.ReadSnapshotsAsync(queues, cancellationToken).ConfigureAwait(false);
                foreach (var rule in rules)
                {
                    var sample = await MeasureAsync(rule, queues, snapshots, now, cancellationToken).ConfigureAwait(false);
                    events.AddRange(Observe(rule, sample));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The aggregates cannot be read (a store is down): the rules keep their state, and the
                // store checks below raise the outage itself.
                logger.LogWarning("Alert rules not measured: {Error}", ex.Message);
            }

            var statuses = sources.All().ToList();
            if (statuses.All(s => s.Source != telephonySource.Id))
            {
                statuses.Add(new SourceStatus(telephonySource.Id, null, null, null, 0, 0));
            }

            foreach (var status in statuses)
            {
                // A source that is not watched (a one-off history load, the import command) never alarms; one that was
                // watched before a change of settings resolves.
                var limit = cadence.SilentAfter(status);
                var rule = SilentSourceRule(status.Source, limit ?? TimeSpan.FromSeconds(1));
                var active = limit is not null && (status.Source != telephonySource.Id || telephony.Value.Enabled);
                events.AddRange(Observe(rule, new AlertSample(cadence.Silence(status, now)?.TotalSeconds, null, active)));
            }

            // A rule an administrator removed resolves its open incident instead of leaving it on the screens.
            var ruleIds = rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var orphan in engine.OpenIncidents().Where(i => !i.Rule.Id.StartsWith("builtin:", StringComparison.Ordinal) && !ruleIds.Contains(i.Rule.Id)))
            {
                events.AddRange(Observe(orphan.Rule, new AlertSample(null, null, Active: false)));
            }

            foreach (var (rule, sample) in await CheckStoresAsync(cancellationToken).ConfigureAwait(false))
            {
                events.AddRange(Observe(rule, sample));
            }

            services.GetRequiredService<Observability.DriftvyMetrics>().AlertsEvaluated(observed.Count, events);
            await CommitAsync(observed, events, cancellationToken).ConfigureAwait(false);
            ScheduleDue(time.GetUtcNow());
            span.Tag("driftvy.alerts.rules", observed.Count).Tag("driftvy.alerts.events", events.Count)
                .Tag("driftvy.alerts.fired", events.Count(e => e.Kind == AlertEventKind.Fired)).Done("evaluated");
        }
        finally
        {
            _gate.Release();
        }
    }

    private readonly Lock _dueGate = new();
    private ITimer? _dueTimer;
    private DateTimeOffset? _dueAt;

    /// <summary>
    /// Evaluates again at the moment a pending condition will have held for its rule's duration, so an alert with
    /// <c>for</c> = 20 s fires 20 s after the data first showed it, not at whichever data or timer tick comes next.
    /// </summary>
    private void ScheduleDue(DateTimeOffset now)
    {
        var due = engine.NextDue();
        lock (_dueGate)
        {
            if (due == _dueAt)
            {
                return;
            }

            _dueTimer?.Dispose();
            _dueTimer = null;
            _dueAt = due;
            if (due is not { } at)
            {
                return;
            }

            // A timer never fires early, and a condition that has held exactly its duration fires.
            var wait = at - now;
            _dueTimer = time.CreateTimer(_ => _ = EvaluateWhenDueAsync(), null, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task EvaluateWhenDueAsync()
    {
        lock (_dueGate)
        {
            _dueAt = null;
        }

        try
        {
            await EvaluateAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The host is stopping.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Alert evaluation at a rule's due time failed");
        }
    }

    /// <summary>Raises or clears a condition reported by another part of the app (failing channel, rejected import), on any instance.</summary>
    public async Task ReportAsync(AlertRule rule, bool breached, double? value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another instance may report the same rule at the same moment: on a conflict, read its state again once.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                await RestoreAsync([rule.Id], cancellationToken).ConfigureAwait(false);
                var events = engine.Observe(rule, new AlertSample(value, breached, true), time.GetUtcNow());
                if (await CommitAsync([rule.Id], events, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Acknowledges an open incident for every instance; null when there is no such open incident.</summary>
    public async Task<AlertIncident?> AcknowledgeAsync(Guid id, string by, string? comment, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await store.AcknowledgeAsync(id, by, comment, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (state?.Incident is not { } incident)
            {
                return null;
            }

            engine.Restore([state], replaceAll: false);
            var ack = new AlertEvent(AlertEventKind.Acknowledged, incident, Notify: false);
            logger.LogInformation("Alert {Kind}: {Rule} by {User}", ack.Kind, incident.Rule.Name, by);
            await BroadcastAsync([ack], cancellationToken).ConfigureAwait(false);
            return incident;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The open incidents as the database has them (every instance alike); this instance's own if it cannot be read.</summary>
    public async Task<IReadOnlyList<AlertIncident>> OpenIncidentsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await store.OpenIncidentsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Open alerts read from this instance only: {Error}", ex.Message);
            return engine.OpenIncidents();
        }
    }

    /// <summary>Continues from the stored state of <paramref name="ruleIds"/> (every rule when null); keeps its own when the database does not answer.</summary>
    private async Task RestoreAsync(IReadOnlyCollection<string>? ruleIds, CancellationToken cancellationToken)
    {
        try
        {
            var states = await store.LoadAsync(ruleIds, cancellationToken).ConfigureAwait(false);
            if (ruleIds is null)
            {
                engine.Restore(states, replaceAll: true);
            }
            else
            {
                // A rule without a stored state starts afresh, as on every instance.
                var stored = states.Select(s => s.RuleId).ToHashSet(StringComparer.Ordinal);
                engine.Restore([.. states, .. ruleIds.Where(id => !stored.Contains(id)).Select(id => new AlertRuleState(id, null, null, 0))], replaceAll: false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Alert state not read from the database, continuing with this instance's: {Error}", ex.Message);
        }
    }

    /// <summary>
    /// Stores the state of <paramref name="observed"/> rules, the alarm log and the notifications of
    /// <paramref name="events"/> together, then queues the notifications that are new and tells the screens. False when
    /// another instance changed one of the rules meanwhile: nothing is stored or sent, and the state is read again.
    /// </summary>
    private async Task<bool> CommitAsync(IReadOnlyList<string> observed, IReadOnlyList<AlertEvent> events, CancellationToken cancellationToken)
    {
        var channels = ruleSource.Current.Channels;
        var work = new List<NotificationWork>();
        foreach (var e in events.Where(e => e.Notify))
        {
            var snapshot = new AlertEvent(e.Kind, e.Incident.Copy(), e.Notify);
            var ruleChannels = e.Incident.Rule.Channels.Distinct(StringComparer.Ordinal)
                .Select(id => channels.FirstOrDefault(c => c.Id == id)).OfType<AlertChannelDefinition>().ToList();
            // One picture per event, drawn now (the last two hours up to the decision) and stored with its notifications.
            var image = ruleChannels.Any(c => c.Kind is "teams" or "webhook" or "email")
                ? await pictures.RenderAsync(snapshot, time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
                : null;
            foreach (var id in e.Incident.Rule.Channels.Distinct(StringComparer.Ordinal))
            {
                if (channels.FirstOrDefault(c => c.Id == id) is { } channel)
                {
                    work.Add(new NotificationWork(NotificationKey.For(snapshot, id), snapshot, channel, Image: image));
                }
                else
                {
                    logger.LogWarning("Alert {Rule}: channel '{Channel}' is not configured, notification not sent", e.Incident.Rule.Id, id);
                }
            }
        }

        var states = engine.Export(observed);
        try
        {
            var commit = await store.CommitAsync(states, events.Select(e => e.Incident).ToList(), work, Claim(), cancellationToken).ConfigureAwait(false);
            engine.Restore(commit.States, replaceAll: false);
            foreach (var w in work.Where(w => commit.NewNotifications.Contains(w.Key)))
            {
                dispatcher.Enqueue(w);
            }
        }
        catch (AlertStateConflictException ex)
        {
            logger.LogInformation("Alert state changed on another instance meanwhile, evaluated again next time: {Reason}", ex.Message);
            await RestoreAsync(null, cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database does not answer (an alert of its own): what this instance decided still goes out, unrecorded.
            logger.LogWarning("Alert state not stored, notifications sent unrecorded: {Error}", ex.Message);
            foreach (var w in work)
            {
                dispatcher.Enqueue(w with { Recorded = false });
            }
        }

        foreach (var e in events)
        {
            logger.LogInformation("Alert {Kind}: {Rule} ({Severity}) value {Value}", e.Kind, e.Incident.Rule.Name, e.Incident.Rule.Severity, e.Incident.Value);
        }

        await BroadcastAsync(events, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private NotificationClaim Claim()
    {
        var now = time.GetUtcNow();
        return new NotificationClaim(lease.Holder, now, now + delivery.Value.ClaimFor);
    }

    /// <summary>
    /// Sends the notifications that are still pending after their claim ran out: decided by an instance that died
    /// before it delivered them (or whose queue was full). Sent under their own key, so a receiver that did get the
    /// first attempt drops the second.
    /// </summary>
    public async Task ResendOverdueAsync(CancellationToken cancellationToken)
    {
        var overdue = await store.ClaimOverdueAsync(Claim(), limit: 100, cancellationToken).ConfigureAwait(false);
        var channels = ruleSource.Current.Channels;
        foreach (var (key, channelId, alert) in overdue)
        {
            if (channels.FirstOrDefault(c => c.Id == channelId) is { } channel)
            {
                logger.LogWarning("Alert notification {Key} to {Channel} was not delivered by the instance that decided it: sending it from this one", key, channelId);
                dispatcher.Enqueue(new NotificationWork(key, alert, channel));
            }
            else
            {
                logger.LogError("Alert notification {Key}: channel '{Channel}' is no longer configured, notification not sent", key, channelId);
                await store.FinishNotificationAsync(key, NotificationStatus.Failed, $"channel '{channelId}' is no longer configured", time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task BroadcastAsync(IReadOnlyList<AlertEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        // Through the hub context, which with Redis is the SignalR backplane: screens on every instance hear it.
        await broadcaster.BroadcastAsync(await OpenIncidentsAsync(cancellationToken).ConfigureAwait(false), events, cancellationToken).ConfigureAwait(false);
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
                return new AlertSample(rule.Measure == AlertMeasure.Waiting ? live.Sum(s => s!.Waiting) : live.Max(s => s!.LongestWaitSeconds), null, active, live.Max(s => s!.At));
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

    private async Task<List<(AlertRule Rule, AlertSample Sample)>> CheckStoresAsync(CancellationToken cancellationToken)
    {
        var samples = new List<(AlertRule, AlertSample)>();
        double databaseDown = 0;
        try
        {
            await facts.MaxSeqAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            databaseDown = 1;
        }

        samples.Add((DatabaseUnreachable, new AlertSample(databaseDown, null, true)));
        if (services.GetService<StackExchange.Redis.IConnectionMultiplexer>() is { } redis)
        {
            samples.Add((RedisUnreachable, new AlertSample(redis.IsConnected ? 0 : 1, null, true)));
        }

        return samples;
    }

    private bool IsOpen(string queue, DateTimeOffset now) =>
        kpis.Organisation.Queue(queue) is not { } q || q.OpeningHours.IsOpen(now, kpis.Calendar);

    public void Dispose()
    {
        lock (_dueGate)
        {
            _dueTimer?.Dispose();
            _dueTimer = null;
        }

        _gate.Dispose();
    }
}
