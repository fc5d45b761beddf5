using System.Net;
using System.Text;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary>A platform's own JSON statistics read through a configured field mapping, with a watermark.</summary>
public sealed class HttpPollerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Settings => new()
    {
        ["Ingestion:HttpPollers:0:Source"] = "telia-ace",
        ["Ingestion:HttpPollers:0:Url"] = "http://platform.invalid/stats",
        ["Ingestion:HttpPollers:0:Interval"] = "00:01:00",
        // The test polls by hand; a scheduled poll racing it would take the first response.
        ["Ingestion:HttpPollers:0:Enabled"] = "false",
        ["Ingestion:HttpPollers:0:RecordsPath"] = "data.queues",
        ["Ingestion:HttpPollers:0:AtPath"] = "data.generated",
        ["Ingestion:HttpPollers:0:Fields:queue"] = "name",
        ["Ingestion:HttpPollers:0:Fields:waiting"] = "stats.inQueue",
        ["Ingestion:HttpPollers:0:Fields:longest_wait_s"] = "stats.oldestSeconds",
        ["Ingestion:HttpPollers:0:Fields:agents_available"] = "agents.ready",
        ["Ingestion:HttpPollers:0:Fields:agents_busy"] = "agents.talking",
        ["Ingestion:HttpPollers:0:Fields:agents_away"] = "agents.paused",
        ["Ingestion:HttpPollers:0:Queues:KC Sthlm"] = "kc-stockholm",
        ["Ingestion:HttpPollers:0:Queues:Äldre"] = "aldre-direkt",
    };

    private static string Response(string generated, int waiting) => $$"""
        { "data": { "generated": "{{generated}}", "queues": [
            { "name": "KC Sthlm", "stats": { "inQueue": {{waiting}}, "oldestSeconds": 75 }, "agents": { "ready": 2, "talking": 14, "paused": 3 } },
            { "name": "Äldre", "stats": { "inQueue": 1, "oldestSeconds": 12 }, "agents": { "ready": 4, "talking": 6, "paused": 1 } }
        ] } }
        """;

    [Fact]
    public async Task PollOnceAsync_MappedFields_StoresAndShowsSnapshotsThenSkipsUpToTheWatermark()
    {
        var handler = new StubHandler();
        await using var factory = IngestionTestHost.Create(Settings);
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.AddHttpClient(HttpPoller.ClientName).ConfigurePrimaryHttpMessageHandler(() => handler)));
        _ = app.Server;
        var poller = app.Services.GetRequiredService<HttpPoller>();

        handler.Body = Response("2026-11-23T09:00:00+01:00", 7);
        var first = await poller.PollOnceAsync("telia-ace", Ct);
        var unchanged = await poller.PollOnceAsync("telia-ace", Ct);
        handler.Body = Response("2026-11-23T09:00:15+01:00", 9);
        var next = await poller.PollOnceAsync("telia-ace", Ct);

        Assert.Equal(2, first!.Accepted);
        Assert.Null(unchanged);
        Assert.Equal(2, next!.Accepted);
        var shown = (await app.Services.GetRequiredService<IAggregateStore>().ReadSnapshotsAsync(["kc-stockholm"], Ct))[0];
        Assert.Equal((9, 75, 2, 14, 3), (shown!.Waiting, shown.LongestWaitSeconds, shown.AgentsAvailable, shown.AgentsBusy, shown.AgentsAway));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<Driftvy.Web.Storage.DriftvyDbContext>>().CreateDbContextAsync(Ct);
        Assert.Equal(4, await db.QueueSnapshots.CountAsync(Ct));
        Assert.StartsWith("2026-11-23T08:00:15", (await db.SourceWatermarks.SingleAsync(Ct)).Position, StringComparison.Ordinal);
        var health = app.Services.GetRequiredService<SourceHealth>().Get("telia-ace")!;
        Assert.Equal("http-poll", health.Channel);
        Assert.Equal(TimeSpan.FromMinutes(3), health.StaleAfter);
    }

    [Fact]
    public async Task PollOnceAsync_PlatformDown_RecordedInHealth()
    {
        var handler = new StubHandler { Status = HttpStatusCode.ServiceUnavailable };
        await using var factory = IngestionTestHost.Create(Settings);
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.AddHttpClient(HttpPoller.ClientName).ConfigurePrimaryHttpMessageHandler(() => handler)));
        _ = app.Server;
        var poller = app.Services.GetRequiredService<HttpPoller>();

        await Assert.ThrowsAsync<HttpRequestException>(() => poller.PollOnceAsync("telia-ace", Ct));

        var health = app.Services.GetRequiredService<SourceHealth>().Get("telia-ace")!;
        Assert.Contains("503", health.LastError, StringComparison.Ordinal);
        Assert.Null(health.LastSuccessAt);
    }

    private static Dictionary<string, string?> CaseSettings => new()
    {
        ["Ingestion:HttpPollers:0:Source"] = "arendesystem",
        ["Ingestion:HttpPollers:0:Kind"] = "Cases",
        ["Ingestion:HttpPollers:0:Format"] = "Csv",
        ["Ingestion:HttpPollers:0:Url"] = "http://cases.invalid/export?since={watermark}",
        ["Ingestion:HttpPollers:0:Interval"] = "00:01:00",
        ["Ingestion:HttpPollers:0:MaxBackoff"] = "00:04:00",
        ["Ingestion:HttpPollers:0:Enabled"] = "false",
        ["Ingestion:HttpPollers:0:AuthorizationHeader"] = "Bearer s3cret",
        ["Ingestion:HttpPollers:0:WatermarkField"] = "opened_at",
        ["Ingestion:HttpPollers:0:Fields:case_id"] = "Ärendenr",
        ["Ingestion:HttpPollers:0:Fields:team"] = "Enhet",
        ["Ingestion:HttpPollers:0:Fields:kind"] = "Typ",
        ["Ingestion:HttpPollers:0:Fields:opened_at"] = "Inkommet",
        ["Ingestion:HttpPollers:0:Fields:closed_at"] = "Avslutat",
        ["Ingestion:HttpPollers:0:Fields:promised_days"] = "Utlovat",
        ["Ingestion:HttpPollers:0:Teams:Lev.reskontra"] = "lr",
    };

    private const string CasesCsv = """
        Ärendenr;Enhet;Typ;Inkommet;Avslutat;Utlovat;Handläggare
        A-1;Lev.reskontra;fraga;2026-11-02T09:00:00+01:00;2026-11-03T10:00:00+01:00;5;h-17
        A-2;Lev.reskontra;fraga;2026-11-04T09:00:00+01:00;;5;h-04
        """;

    [Fact]
    public async Task PollOnceAsync_CaseSystemCsv_MappedIntoCasesWithTheWatermarkSentBack()
    {
        var handler = new StubHandler { Body = CasesCsv };
        await using var factory = IngestionTestHost.Create(CaseSettings);
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.AddHttpClient(HttpPoller.ClientName).ConfigurePrimaryHttpMessageHandler(() => handler)));
        _ = app.Server;
        var poller = app.Services.GetRequiredService<HttpPoller>();

        var first = await poller.PollOnceAsync("arendesystem", Ct);
        // The same export again, one case now closed: keyed facts take the change, the rest is a duplicate.
        handler.Body = CasesCsv.Replace("09:00:00+01:00;;5", "09:00:00+01:00;2026-11-05T11:00:00+01:00;5", StringComparison.Ordinal);
        var second = await poller.PollOnceAsync("arendesystem", Ct);

        Assert.True(first!.Committed, string.Join("; ", first.Errors));
        Assert.Equal(2, first.Accepted);
        Assert.Equal((0, 1, 1), (second!.Accepted, second.Updated, second.Duplicates));
        Assert.Equal("http://cases.invalid/export?since=", handler.Requests[0].Uri);
        Assert.Equal("http://cases.invalid/export?since=2026-11-04T08%3A00%3A00.0000000Z", handler.Requests[1].Uri);
        Assert.All(handler.Requests, r => Assert.Equal("Bearer s3cret", r.Authorization));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<Driftvy.Web.Storage.DriftvyDbContext>>().CreateDbContextAsync(Ct);
        var closed = await db.Cases.AsNoTracking().SingleAsync(c => c.CaseId == "A-2", Ct);
        Assert.Equal("lr", closed.Team);
        Assert.NotNull(closed.ClosedAtMs);
    }

    [Fact]
    public async Task PollIfDueAsync_SystemDown_WaitsDoublingUpToTheMaximumThenRecovers()
    {
        var clock = TestClock.Frozen(TestClock.OrdinaryMorning);
        var handler = new StubHandler { Status = HttpStatusCode.ServiceUnavailable, Body = CasesCsv };
        await using var factory = IngestionTestHost.Create(CaseSettings, time: clock);
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.AddHttpClient(HttpPoller.ClientName).ConfigurePrimaryHttpMessageHandler(() => handler)));
        _ = app.Server;
        var poller = app.Services.GetRequiredService<HttpPoller>();

        // Each scheduled firing (every minute) asks; a failure makes the next wait 1, 2, 4, 4 minutes.
        var asked = new List<int>();
        await Assert.ThrowsAsync<HttpRequestException>(() => poller.PollIfDueAsync("arendesystem", Ct));
        for (var minute = 1; minute <= 11; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var before = handler.Requests.Count;
            try
            {
                await poller.PollIfDueAsync("arendesystem", Ct);
            }
            catch (HttpRequestException)
            {
                // Expected while the system is down.
            }

            if (handler.Requests.Count > before)
            {
                asked.Add(minute);
            }
        }

        Assert.Equal([1, 3, 7, 11], asked);
        Assert.Contains("5 in a row", app.Services.GetRequiredService<SourceHealth>().Get("arendesystem")!.LastError, StringComparison.Ordinal);

        handler.Status = HttpStatusCode.OK;
        clock.Advance(TimeSpan.FromMinutes(4));
        var result = await poller.PollIfDueAsync("arendesystem", Ct);

        Assert.Equal(2, result!.Accepted);
        Assert.Null(poller.RetryAt("arendesystem"));
    }

    private sealed class StubHandler : HttpMessageHandler
    {
        public string Body { get; set; } = "{}";

        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        public List<(string Uri, string? Authorization)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.RequestUri!.OriginalString, request.Headers.Authorization?.ToString()));
            return Task.FromResult(new HttpResponseMessage(Status) { Content = new StringContent(Body, Encoding.UTF8, "application/json") });
        }
    }
}
