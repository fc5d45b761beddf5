using System.Net;
using System.Text;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources;
using Driftvy.Web.Sources.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary>A platform's own JSON statistics read through a configured field mapping, with a watermark.</summary>
public sealed class HttpSnapshotPollerTests
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
            s.AddHttpClient(HttpSnapshotPoller.ClientName).ConfigurePrimaryHttpMessageHandler(() => handler)));
        _ = app.Server;
        var poller = app.Services.GetRequiredService<HttpSnapshotPoller>();

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
            s.AddHttpClient(HttpSnapshotPoller.ClientName).ConfigurePrimaryHttpMessageHandler(() => handler)));
        _ = app.Server;
        var poller = app.Services.GetRequiredService<HttpSnapshotPoller>();

        await Assert.ThrowsAsync<HttpRequestException>(() => poller.PollOnceAsync("telia-ace", Ct));

        var health = app.Services.GetRequiredService<SourceHealth>().Get("telia-ace")!;
        Assert.Contains("503", health.LastError, StringComparison.Ordinal);
        Assert.Null(health.LastSuccessAt);
    }

    private sealed class StubHandler : HttpMessageHandler
    {
        public string Body { get; set; } = "{}";

        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(Status) { Content = new StringContent(Body, Encoding.UTF8, "application/json") });
    }
}
