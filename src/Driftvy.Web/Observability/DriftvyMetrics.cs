using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Driftvy.Web.Alerts;
using Driftvy.Web.Dashboard;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Driftvy.Web.Sources;
using Driftvy.Web.Sources.Ingestion;

namespace Driftvy.Web.Observability;

/// <summary>
/// Driftvy's own instruments, in one meter (<see cref="MeterName"/>): what came in, how far the folds lag, how fast
/// screens hear of it, how many screens watch, and what the alerts did. The call sites elsewhere are one line each;
/// the names, units and tags live here and in the README's metrics table.
/// </summary>
public sealed class DriftvyMetrics
{
    public const string MeterName = "Driftvy";

    /// <summary>The activity source for Driftvy's own spans (polls, imports), exported with the framework's.</summary>

    private readonly Counter<long> _rowsAccepted;
    private readonly Counter<long> _rowsRefused;
    private readonly Counter<long> _imports;
    private readonly Histogram<double> _importDuration;
    private readonly Histogram<double> _pollDuration;
    private readonly Histogram<double> _screenDelay;
    private readonly Counter<long> _pushBytes;
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _alertsEvaluated;
    private readonly Counter<long> _alertsFired;
    private readonly Counter<long> _alertsDelivered;
    private readonly Counter<long> _alertsFailed;

    private readonly ScreenCount _screens;
    private readonly JsonSerializerOptions _hubJson;

    public DriftvyMetrics(IMeterFactory meters, ScreenCount screens, FoldLag foldLag, SourceHealth sources, TimeProvider time, IOptions<JsonHubProtocolOptions> hubJson)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(hubJson);
        _screens = screens;
        _hubJson = hubJson.Value.PayloadSerializerOptions;
        var meter = meters.Create(new MeterOptions(MeterName));
        _rowsAccepted = meter.CreateCounter<long>("driftvy.ingest.rows.accepted", "{row}", "Rows stored (new or updated) per source, kind and channel.");
        _rowsRefused = meter.CreateCounter<long>("driftvy.ingest.rows.refused", "{row}", "Rows refused per source, kind and channel (a refused file or request refuses all its rows).");
        _imports = meter.CreateCounter<long>("driftvy.ingest.imports", "{import}", "Imports (files, push requests, HTTP polls) per source, kind, channel and outcome (committed, refused).");
        _importDuration = meter.CreateHistogram<double>("driftvy.ingest.import.duration", "s", "Time to validate and store one import, per kind, channel and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });
        _pollDuration = meter.CreateHistogram<double>("driftvy.source.poll.duration", "s", "Time of one telephony poll (read, store, fold, notify), per source and outcome (ok, failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _screenDelay = meter.CreateHistogram<double>("driftvy.screen.delay", "s", "From new facts arriving at the ingestion pipeline to the fresh snapshots being pushed to the screens.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _pushBytes = meter.CreateCounter<long>("driftvy.screen.push.bytes", "By", "Bytes pushed to screens on this instance (JSON size × screens watching the board), per board and kind (snapshot, change).");
        _pushes = meter.CreateCounter<long>("driftvy.screen.pushes", "{push}", "Pushes to a board's group, per board and kind (snapshot: whole, change: only what moved).");
        _alertsEvaluated = meter.CreateCounter<long>("driftvy.alerts.evaluated", "{rule}", "Alert rules evaluated (on the instance holding the alert lease).");
        _alertsFired = meter.CreateCounter<long>("driftvy.alerts.fired", "{alert}", "Alerts fired or re-fired, per severity.");
        _alertsDelivered = meter.CreateCounter<long>("driftvy.alerts.delivered", "{notification}", "Alert notifications delivered, per channel and channel kind.");
        _alertsFailed = meter.CreateCounter<long>("driftvy.alerts.failed", "{notification}", "Alert notifications that failed after their retries (or could not be sent), per channel and channel kind.");

        meter.CreateObservableGauge("driftvy.screens.connected", screens.Measure, "{screen}", "Hub connections on this instance that have joined a board, per board.");
        meter.CreateObservableGauge("driftvy.fold.lag.contacts", foldLag.MeasureContacts, "{contact}", "Contacts stored but not yet folded into the aggregates (sampled).");
        meter.CreateObservableGauge("driftvy.fold.lag", foldLag.MeasureSeconds, "s", "How long stored contacts have been waiting to be folded: 0 when the folds keep up (sampled).");
        meter.CreateObservableGauge("driftvy.aggregates.behind", foldLag.MeasureBehind, "1", "1 while the aggregates are behind the facts (a store outage) or rebuilding, else 0.");
        meter.CreateObservableGauge("driftvy.source.age", () => SourceAges(sources, time), "s", "Seconds since each source's last successful delivery.");
        meter.CreateObservableGauge("driftvy.source.lag", () => SourceLags(sources, time), "s", "Seconds between now and the newest record each source delivered.");
    }

    /// <summary>One import's outcome (any channel: push, drop folder, HTTP poll, command line).</summary>
    public void Imported(ImportRequest request, ImportResult result)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        var tags = IngestTags(request.Source, result.Kind, request.Channel);
        _rowsAccepted.Add(result.Accepted + result.Updated, tags);
        _rowsRefused.Add(result.Rejected, tags);
        _imports.Add(1, [.. tags, new("outcome", result.Committed ? "committed" : "refused")]);
    }

    public void ImportTook(ImportRequest request, ImportResult result, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        _importDuration.Record(elapsed.TotalSeconds, new("kind", result.Kind), new("channel", request.Channel), new("outcome", result.Committed ? "committed" : "refused"));
    }

    /// <summary>One telephony poll: its contacts count as accepted rows of kind <c>contacts</c>.</summary>
    public void Polled(string source, int contacts, TimeSpan elapsed, bool ok)
    {
        if (ok)
        {
            _rowsAccepted.Add(contacts, IngestTags(source, "contacts", "poll"));
        }

        _pollDuration.Record(elapsed.TotalSeconds, new("source", source), new("outcome", ok ? "ok" : "failed"));
    }

    public void ScreensUpdated(TimeSpan sinceArrival) => _screenDelay.Record(sinceArrival.TotalSeconds);

    /// <summary>
    /// A snapshot pushed to a board's group: its size in the hub's JSON counts once per screen on this instance watching
    /// it (the backplane carries it to the other instances' screens, which they count). Measured only while someone
    /// listens to the counter and a screen watches.
    /// </summary>
    /// <summary>A push to a board's group: a whole snapshot or a change.</summary>
    public void Pushed<T>(string board, T message)
        where T : class
    {
        var tags = new TagList { { "board", board }, { "kind", message is BoardChange ? "change" : "snapshot" } };
        _pushes.Add(1, tags);
        var screens = _screens.On(board);
        if (_pushBytes.Enabled && screens > 0)
        {
            _pushBytes.Add(JsonSerializer.SerializeToUtf8Bytes(message, _hubJson).LongLength * screens, tags);
        }
    }

    public void AlertsEvaluated(int rules, IEnumerable<AlertEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _alertsEvaluated.Add(rules);
        foreach (var e in events.Where(e => e.Kind is AlertEventKind.Fired or AlertEventKind.Refired))
        {
            _alertsFired.Add(1, new KeyValuePair<string, object?>("severity", e.Incident.Rule.Severity.ToString().ToLowerInvariant()));
        }
    }

    public void AlertDelivered(string channel, string kind, bool delivered) =>
        (delivered ? _alertsDelivered : _alertsFailed).Add(1, new("channel", channel), new("channel_kind", kind));

    private static KeyValuePair<string, object?>[] IngestTags(string source, string kind, string channel) =>
        [new("source", source), new("kind", kind), new("channel", channel)];

    private static IEnumerable<Measurement<double>> SourceAges(SourceHealth sources, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return sources.All().Where(s => s.LastSuccessAt is not null)
            .Select(s => new Measurement<double>(Math.Max(0, (now - s.LastSuccessAt!.Value).TotalSeconds), new KeyValuePair<string, object?>("source", s.Source), new("channel", s.Channel)));
    }

    private static IEnumerable<Measurement<double>> SourceLags(SourceHealth sources, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return sources.All().Where(s => s.LatestRecordAt is not null)
            .Select(s => new Measurement<double>(Math.Max(0, (now - s.LatestRecordAt!.Value).TotalSeconds), new KeyValuePair<string, object?>("source", s.Source), new("channel", s.Channel)));
    }
}
