using System.Collections.Concurrent;
using System.Diagnostics;
using Driftvy.Web.Alerts;
using Driftvy.Web.Observability;
using Driftvy.Web.Reports;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Observability;

/// <summary>
/// Driftvy's own spans, caught with an activity listener. Listeners are process-wide and other tests' hosts run
/// meanwhile: each test starts a root activity of its own and keeps only the Driftvy spans of that trace.
/// </summary>
public sealed class TracingTests
{
    private const string TestSourceName = "Driftvy.Tests.Tracing";
    private static readonly ActivitySource TestSource = new(TestSourceName);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ImportAsync_AcceptedContacts_IngestFoldAndSnapshotSpansCarryTheirFigures()
    {
        await using var app = IngestionTestHost.Create();
        var imports = app.Imports();
        using var spans = new SpanCatcher();

        using (spans.Root())
        {
            var result = await app.ImportTextAsync(IngestKind.Contacts, IngestionTestHost.ContactsCsv(3, TestClock.OrdinaryMorning.AddMinutes(-20), "trace-"), Ct, source: "trace-source");
            Assert.True(result.Committed);
        }

        var ingest = Assert.Single(spans.Named(DriftvyTracing.IngestSpan));
        Assert.Equal("trace-source", ingest.GetTagItem("driftvy.source"));
        Assert.Equal("contacts", ingest.GetTagItem("driftvy.kind"));
        Assert.Equal(3, ingest.GetTagItem("driftvy.rows"));
        Assert.Equal(0, ingest.GetTagItem("driftvy.rows.refused"));
        Assert.Equal("committed", ingest.GetTagItem("driftvy.outcome"));
        Assert.Equal(ActivityStatusCode.Unset, ingest.Status);

        var fold = Assert.Single(spans.Named(DriftvyTracing.FoldSpan));
        Assert.Equal(3, fold.GetTagItem("driftvy.fold.contacts"));
        Assert.Equal(true, fold.GetTagItem("driftvy.fold.in_step"));

        // The screens are told after the fold: one snapshot per board, each with its tiles counted.
        var builds = spans.Named(DriftvyTracing.SnapshotSpan);
        Assert.Contains(builds, b => (string?)b.GetTagItem("driftvy.board") == "kontaktcenter" && (int)b.GetTagItem("driftvy.snapshot.tiles")! > 0);
        Assert.All(builds, b => Assert.IsType<bool>(b.GetTagItem("driftvy.snapshot.cache_hit")));
    }

    [Fact]
    public async Task ImportAsync_RefusedFile_IngestSpanHasErrorStatusAndRefusedRows()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Imports();
        using var spans = new SpanCatcher();

        using (spans.Root())
        {
            var result = await app.ImportTextAsync(
                IngestKind.Contacts, "contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact\nx1,phone,kc-stockholm,not-a-time,,,,true\n", Ct);
            Assert.False(result.Committed);
        }

        var ingest = Assert.Single(spans.Named(DriftvyTracing.IngestSpan));
        Assert.Equal(ActivityStatusCode.Error, ingest.Status);
        Assert.Equal("refused", ingest.GetTagItem("driftvy.outcome"));
        Assert.Equal(1, ingest.GetTagItem("driftvy.rows.refused"));
        Assert.False(string.IsNullOrEmpty(ingest.StatusDescription));
        // Nothing of a refused file is stored, so nothing of it is folded.
        Assert.All(spans.Named(DriftvyTracing.FoldSpan), f => Assert.Equal(0, f.GetTagItem("driftvy.fold.contacts")));
    }

    [Fact]
    public async Task PollOnceAsync_Simulator_PollSpanCountsTheContacts()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Imports();
        var polls = app.Services.GetRequiredService<TelephonyPollService>();
        using var spans = new SpanCatcher();

        int added;
        using (spans.Root())
        {
            added = await polls.PollOnceAsync(Ct);
        }

        var poll = Assert.Single(spans.Named(DriftvyTracing.PollSpan));
        Assert.Equal("telephony", poll.GetTagItem("driftvy.poll.kind"));
        Assert.Equal(added, poll.GetTagItem("driftvy.rows"));
        Assert.Equal("ok", poll.GetTagItem("driftvy.outcome"));
    }

    [Fact]
    public async Task EvaluateAsync_AlertRules_EvaluationSpanCountsRulesAndEvents()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Imports();
        var monitor = app.Services.GetRequiredService<AlertMonitor>();
        using var spans = new SpanCatcher();

        using (spans.Root())
        {
            await monitor.EvaluateAsync(Ct);
        }

        var evaluation = Assert.Single(spans.Named(DriftvyTracing.AlertEvaluationSpan));
        Assert.Equal("evaluated", evaluation.GetTagItem("driftvy.outcome"));
        Assert.True((int)evaluation.GetTagItem("driftvy.alerts.rules")! > 0);
        Assert.IsType<int>(evaluation.GetTagItem("driftvy.alerts.events"));
    }

    [Fact]
    public async Task Reports_MonthlyBuiltAndExported_SpansNameKindPeriodAndFormat()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Imports();
        var reports = app.Services.GetRequiredService<ReportService>();
        using var spans = new SpanCatcher();

        using (spans.Root())
        {
            using var output = new MemoryStream();
            await reports.ExportMonthlyAsync(2026, 9, ReportFormat.Csv, output, Ct);
            Assert.True(output.Length > 0);
        }

        var built = spans.Named(DriftvyTracing.ReportSpan);
        Assert.Equal(2, built.Count);
        Assert.All(built, s => Assert.Equal(("monthly", "2026-09"), ((string?)s.GetTagItem("driftvy.report.kind"), (string?)s.GetTagItem("driftvy.report.period"))));
        Assert.Contains(built, s => (string?)s.GetTagItem("driftvy.report.format") == "csv" && (string?)s.GetTagItem("driftvy.outcome") == "rendered");
        Assert.Contains(built, s => s.GetTagItem("driftvy.report.format") is null && (string?)s.GetTagItem("driftvy.outcome") == "built");
    }

    [Fact]
    public void TracedWork_EndedWithoutOutcome_IsMarkedFailed()
    {
        using var spans = new SpanCatcher();
        using (spans.Root())
        {
            using (DriftvyTracing.Report("tertial", "2026-T2"))
            {
                // The work threw: no outcome was named.
            }

            using var done = DriftvyTracing.Report("tertial", "2026-T1");
            done.Done("built");
        }

        var reports = spans.Named(DriftvyTracing.ReportSpan);
        var failed = Assert.Single(reports, s => (string?)s.GetTagItem("driftvy.report.period") == "2026-T2");
        Assert.Equal((ActivityStatusCode.Error, "failed"), (failed.Status, (string?)failed.GetTagItem("driftvy.outcome")));
        var ok = Assert.Single(reports, s => (string?)s.GetTagItem("driftvy.report.period") == "2026-T1");
        Assert.Equal((ActivityStatusCode.Unset, "built"), (ok.Status, (string?)ok.GetTagItem("driftvy.outcome")));
    }

    /// <summary>Collects the stopped Driftvy spans of the trace its <see cref="Root"/> activity starts.</summary>
    private sealed class SpanCatcher : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ActivityListener _listener;
        private ActivityTraceId _trace;

        public SpanCatcher()
        {
            _listener = new ActivityListener
            {
                // By name: the test's own source may be created while this listener is being added.
                ShouldListenTo = s => s.Name is DriftvyTracing.SourceName or TestSourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    if (a.Source.Name == DriftvyTracing.SourceName && a.TraceId == _trace)
                    {
                        _stopped.Enqueue(a);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public Activity Root()
        {
            // A root of its own, whatever activity the test runner has current.
            Activity.Current = null;
            var root = TestSource.StartActivity("test", ActivityKind.Internal, parentContext: default)!;
            _trace = root.TraceId;
            return root;
        }

        public List<Activity> Named(string name) => [.. _stopped.Where(a => a.OperationName == name)];

        public void Dispose() => _listener.Dispose();
    }
}
