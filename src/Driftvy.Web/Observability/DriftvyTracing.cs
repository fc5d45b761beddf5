using System.Diagnostics;
using Driftvy.Web.Sources.Ingestion;

namespace Driftvy.Web.Observability;

/// <summary>
/// Driftvy's own spans, in one activity source (<see cref="SourceName"/>, registered with the tracing exporter): each
/// edge starts its span here and ends it with the outcome, so the span names and tag keys are written in one place
/// (and listed in the README). A span is only created while someone listens (an exporter or a test's listener);
/// otherwise every method here gets null and does nothing.
/// </summary>
internal static class DriftvyTracing
{
    public const string SourceName = "Driftvy";

    public const string IngestSpan = "driftvy.ingest";
    public const string FoldSpan = "driftvy.fold";
    public const string SnapshotSpan = "driftvy.snapshot.build";
    public const string AlertEvaluationSpan = "driftvy.alerts.evaluate";
    public const string AlertDeliverySpan = "driftvy.alerts.deliver";
    public const string ReportSpan = "driftvy.report.build";
    public const string PollSpan = "driftvy.source.poll";

    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>One import (a file, a push request, an HTTP poll's answer, the command line) from validation to commit.</summary>
    public static Activity? Ingest(ImportRequest request) =>
        Source.StartActivity(IngestSpan)?
            .SetTag("driftvy.source", request.Source)
            .SetTag("driftvy.kind", IngestKinds.Name(request.Kind))
            .SetTag("driftvy.channel", request.Channel);

    /// <summary>Ends an ingest span: its rows, and an error status when the import was refused.</summary>
    public static void Imported(this Activity? span, ImportResult result)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag("driftvy.rows", result.Rows)
            .SetTag("driftvy.rows.accepted", result.Accepted + result.Updated)
            .SetTag("driftvy.rows.refused", result.Rejected)
            .SetTag("driftvy.outcome", result.Committed ? "committed" : "refused");
        if (!result.Committed)
        {
            span.SetStatus(ActivityStatusCode.Error, result.Errors.Count > 0 ? result.Errors[0].ToString() : "refused");
        }
    }

    /// <summary>Storing and folding one step of new facts into the hot store.</summary>
    public static Activity? Fold() => Source.StartActivity(FoldSpan);

    /// <summary>Ends a fold span: what it folded, whether the hot store kept step, and the lag the last sample saw.</summary>
    public static void Folded(this Activity? span, int contacts, int snapshots, bool inStep, FoldLag lag)
    {
        span?.SetTag("driftvy.fold.contacts", contacts)
            .SetTag("driftvy.fold.snapshots", snapshots)
            .SetTag("driftvy.fold.in_step", inStep)
            .SetTag("driftvy.fold.lag_contacts", lag.Contacts)
            .SetTag("driftvy.fold.lag_seconds", lag.Seconds);
        if (!inStep)
        {
            span?.SetStatus(ActivityStatusCode.Error, "the hot store did not keep step: the facts are stored and will be folded by the catch-up");
        }
    }

    /// <summary>Building one board's snapshot.</summary>
    public static Activity? Snapshot(string boardId) => Source.StartActivity(SnapshotSpan)?.SetTag("driftvy.board", boardId);

    /// <summary>Ends a snapshot span: its tiles, and whether every day tally and chart came from the cache.</summary>
    public static void Built(this Activity? span, string state, int tiles, int cacheable, int reused) =>
        span?.SetTag("driftvy.snapshot.state", state)
            .SetTag("driftvy.snapshot.tiles", tiles)
            .SetTag("driftvy.snapshot.reused", reused)
            .SetTag("driftvy.snapshot.cache_hit", cacheable > 0 && reused == cacheable);

    /// <summary>One evaluation of every alert rule.</summary>
    public static TracedWork AlertEvaluation() => new(Source.StartActivity(AlertEvaluationSpan));

    /// <summary>One notification to one channel, with its retries.</summary>
    public static TracedWork AlertDelivery(string ruleId, string channel, string channelKind, string eventKind) =>
        new(Source.StartActivity(AlertDeliverySpan)?
            .SetTag("driftvy.alert.rule", ruleId)
            .SetTag("driftvy.alert.channel", channel)
            .SetTag("driftvy.alert.channel_kind", channelKind)
            .SetTag("driftvy.alert.event", eventKind));

    /// <summary>Building (and with a format, exporting) one report; <paramref name="period"/> like <c>2026-T2</c> or <c>2026-05</c>.</summary>
    public static TracedWork Report(string kind, string period, Enum? format = null) =>
        new(Source.StartActivity(ReportSpan)?
            .SetTag("driftvy.report.kind", kind)
            .SetTag("driftvy.report.period", period)
            .SetTag("driftvy.report.format", format?.ToString().ToLowerInvariant()));

    /// <summary>One poll of a source: <paramref name="kind"/> is <c>telephony</c>, <c>queue_log</c>, <c>ami</c> or <c>http</c>.</summary>
    public static Activity? Poll(string kind, string source) =>
        Source.StartActivity(PollSpan)?
            .SetTag("driftvy.poll.kind", kind)
            .SetTag("driftvy.source", source);

    /// <summary>Ends a poll span that succeeded: the rows (contacts, lines, states) it brought.</summary>
    public static void Polled(this Activity? span, int rows) => span?.SetTag("driftvy.rows", rows).SetTag("driftvy.outcome", "ok");

    /// <summary>Sets the outcome tag; <c>failed</c> also sets the error status.</summary>
    public static Activity? Outcome(this Activity? span, string outcome, string? error = null)
    {
        span?.SetTag("driftvy.outcome", outcome);
        if (error is not null)
        {
            span?.SetStatus(ActivityStatusCode.Error, error);
        }

        return span;
    }

    /// <summary>An error status with the exception recorded as an event, for a span whose work threw.</summary>
    public static void Failed(this Activity? span, Exception exception)
    {
        span?.SetTag("driftvy.outcome", "failed")
            .SetStatus(ActivityStatusCode.Error, exception.Message)
            .AddException(exception);
    }
}

/// <summary>
/// A span for work whose every successful end names its outcome (<see cref="Done{T}"/>): one that ends without
/// (an exception or a cancellation went through) is marked failed when disposed. This keeps the span to two lines at
/// the edge it measures, without a try block around the work.
/// </summary>
internal sealed class TracedWork(Activity? activity) : IDisposable
{
    private bool _done;

    public Activity? Activity => activity;

    public TracedWork Tag(string key, object? value)
    {
        activity?.SetTag(key, value);
        return this;
    }

    /// <summary>Ends well with <paramref name="outcome"/>; returns <paramref name="result"/> so it can stand in a return statement.</summary>
    public T Done<T>(string outcome, T result)
    {
        Done(outcome);
        return result;
    }

    /// <summary>Ends with <paramref name="outcome"/>; with an <paramref name="error"/> the span carries an error status.</summary>
    public void Done(string outcome, string? error = null)
    {
        _done = true;
        activity.Outcome(outcome, error);
    }

    public void Dispose()
    {
        if (!_done)
        {
            activity?.SetTag("driftvy.outcome", "failed").SetStatus(ActivityStatusCode.Error, "ended by an exception or a cancellation");
        }

        activity?.Dispose();
    }
}
