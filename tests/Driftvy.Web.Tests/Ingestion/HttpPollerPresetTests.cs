using System.Net;
using System.Text;
using System.Text.Json;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary>
/// The hosted-platform presets against answers shaped like the examples in the vendors' public API references
/// (Amazon Connect GetCurrentMetricData grouped by queue; Twilio TaskRouter TaskQueue RealTimeStatistics).
/// </summary>
public sealed class HttpPollerPresetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string ConnectQueue1 = "8b4c1e2a-6f1d-4c3b-9a51-0d2e7c9f4a10";
    private const string ConnectQueue2 = "f2d9a7c4-3b8e-4e61-8c0f-5a1b2c3d4e5f";

    private static readonly string ConnectAnswer = $$"""
        {
          "MetricResults": [
            {
              "Dimensions": { "Queue": { "Id": "{{ConnectQueue1}}", "Arn": "arn:aws:connect:eu-north-1:111122223333:instance/5d3e/queue/{{ConnectQueue1}}" } },
              "Collections": [
                { "Metric": { "Name": "CONTACTS_IN_QUEUE", "Unit": "COUNT" }, "Value": 4.0 },
                { "Metric": { "Name": "OLDEST_CONTACT_AGE", "Unit": "SECONDS" }, "Value": 96.0 },
                { "Metric": { "Name": "AGENTS_AVAILABLE", "Unit": "COUNT" }, "Value": 2.0 },
                { "Metric": { "Name": "AGENTS_ON_CONTACT", "Unit": "COUNT" }, "Value": 11.0 },
                { "Metric": { "Name": "AGENTS_NON_PRODUCTIVE", "Unit": "COUNT" }, "Value": 3.0 }
              ]
            },
            {
              "Dimensions": { "Queue": { "Id": "{{ConnectQueue2}}", "Arn": "arn:aws:connect:eu-north-1:111122223333:instance/5d3e/queue/{{ConnectQueue2}}" } },
              "Collections": [
                { "Metric": { "Name": "CONTACTS_IN_QUEUE", "Unit": "COUNT" }, "Value": 0.0 },
                { "Metric": { "Name": "OLDEST_CONTACT_AGE", "Unit": "SECONDS" }, "Value": null },
                { "Metric": { "Name": "AGENTS_AVAILABLE", "Unit": "COUNT" }, "Value": 5.0 },
                { "Metric": { "Name": "AGENTS_ON_CONTACT", "Unit": "COUNT" }, "Value": 1.0 },
                { "Metric": { "Name": "AGENTS_NON_PRODUCTIVE", "Unit": "COUNT" }, "Value": 0.0 }
              ]
            }
          ],
          "DataSnapshotTime": 1791990000.123
        }
        """;

    private const string TwilioAnswer = """
        {
          "account_sid": "AC00000000000000000000000000000001",
          "activity_statistics": [
            { "friendly_name": "Idle", "sid": "WA00000000000000000000000000000001", "workers": 2 },
            { "friendly_name": "Busy", "sid": "WA00000000000000000000000000000002", "workers": 9 },
            { "friendly_name": "Offline", "sid": "WA00000000000000000000000000000003", "workers": 6 },
            { "friendly_name": "Reserved", "sid": "WA00000000000000000000000000000004", "workers": 1 }
          ],
          "longest_task_waiting_age": 41,
          "longest_task_waiting_sid": "WT00000000000000000000000000000001",
          "task_queue_sid": "WQ00000000000000000000000000000001",
          "tasks_by_priority": { "0": 3 },
          "tasks_by_status": { "assigned": 9, "pending": 2, "reserved": 1, "wrapping": 0 },
          "total_available_workers": 2,
          "total_eligible_workers": 18,
          "total_tasks": 12,
          "url": "https://taskrouter.twilio.com/v1/Workspaces/WS00000000000000000000000000000001/TaskQueues/WQ00000000000000000000000000000001/RealTimeStatistics",
          "workspace_sid": "WS00000000000000000000000000000001"
        }
        """;

    private static (Driftvy.Web.Tests.Support.DriftvyAppFactory Factory, Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> App) Host(
        Dictionary<string, string?> settings, RecordingHandler handler)
    {
        var factory = IngestionTestHost.Create(settings);
        var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.AddHttpClient(HttpPoller.ClientName).ConfigurePrimaryHttpMessageHandler(() => handler)));
        _ = app.Server;
        return (factory, app);
    }

    [Fact]
    public async Task PollOnceAsync_AmazonConnectPreset_PostsTheQueuesAndStoresOneSnapshotPerQueue()
    {
        var handler = new RecordingHandler { Body = ConnectAnswer };
        var (factory, app) = Host(new()
        {
            ["Ingestion:HttpPollers:0:Source"] = "amazon-connect",
            ["Ingestion:HttpPollers:0:Preset"] = "amazon-connect",
            ["Ingestion:HttpPollers:0:Url"] = "https://connect.eu-north-1.amazonaws.com/metrics/current/5d3e",
            ["Ingestion:HttpPollers:0:Enabled"] = "false",
            [$"Ingestion:HttpPollers:0:Queues:{ConnectQueue1}"] = "kc-stockholm",
            [$"Ingestion:HttpPollers:0:Queues:{ConnectQueue2}"] = "aldre-direkt",
        }, handler);
        await using var _ = factory;
        await using var __ = app;

        var result = await app.Services.GetRequiredService<HttpPoller>().PollOnceAsync("amazon-connect", Ct);

        Assert.Equal(2, result!.Accepted);
        var (method, body) = Assert.Single(handler.Requests);
        Assert.Equal("POST", method);
        using var sent = JsonDocument.Parse(body!);
        Assert.Equal([ConnectQueue1, ConnectQueue2], sent.RootElement.GetProperty("Filters").GetProperty("Queues").EnumerateArray().Select(q => q.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("QUEUE", sent.RootElement.GetProperty("Groupings")[0].GetString());
        var shown = await app.Services.GetRequiredService<IAggregateStore>().ReadSnapshotsAsync(["kc-stockholm", "aldre-direkt"], Ct);
        Assert.Equal((4, 96, 2, 11, 3), (shown[0]!.Waiting, shown[0]!.LongestWaitSeconds, shown[0]!.AgentsAvailable, shown[0]!.AgentsBusy, shown[0]!.AgentsAway));
        // Nobody waiting: OLDEST_CONTACT_AGE comes back null, and the longest wait is 0.
        Assert.Equal((0, 0, 5, 1, 0), (shown[1]!.Waiting, shown[1]!.LongestWaitSeconds, shown[1]!.AgentsAvailable, shown[1]!.AgentsBusy, shown[1]!.AgentsAway));
    }

    [Fact]
    public async Task PollOnceAsync_TwilioTaskRouterPreset_OneQueueFromTheStatisticsObject()
    {
        var handler = new RecordingHandler { Body = TwilioAnswer };
        var (factory, app) = Host(new()
        {
            ["Ingestion:HttpPollers:0:Source"] = "twilio",
            ["Ingestion:HttpPollers:0:Preset"] = "twilio-taskrouter",
            ["Ingestion:HttpPollers:0:Url"] = "https://taskrouter.twilio.com/v1/Workspaces/WS00000000000000000000000000000001/TaskQueues/WQ00000000000000000000000000000001/RealTimeStatistics",
            ["Ingestion:HttpPollers:0:Enabled"] = "false",
            ["Ingestion:HttpPollers:0:AuthorizationHeader"] = "Basic QUMwMDAwOnRva2Vu",
            ["Ingestion:HttpPollers:0:Queues:WQ00000000000000000000000000000001"] = "kc-stockholm",
        }, handler);
        await using var _ = factory;
        await using var __ = app;

        var result = await app.Services.GetRequiredService<HttpPoller>().PollOnceAsync("twilio", Ct);

        Assert.Equal(1, result!.Accepted);
        Assert.Equal("GET", Assert.Single(handler.Requests).Method);
        var shown = (await app.Services.GetRequiredService<IAggregateStore>().ReadSnapshotsAsync(["kc-stockholm"], Ct))[0];
        // Waiting: 2 pending + 1 reserved; busy: 9 Busy + 1 Reserved workers; away: 6 Offline.
        Assert.Equal((3, 41, 2, 10, 6), (shown!.Waiting, shown.LongestWaitSeconds, shown.AgentsAvailable, shown.AgentsBusy, shown.AgentsAway));
    }

    [Theory]
    [InlineData("a.b", "1")]
    [InlineData("list[1].v", "x")]
    [InlineData("list[k.name=two].v", "x")]
    [InlineData("n + a.b", "3.5")]
    [InlineData("missing ?? 0", "0")]
    [InlineData("list[k.name=three].v", null)]
    [InlineData("whole", "7")]
    public void Text_PathExpressions_SelectSumAndFallBack(string path, string? expected)
    {
        using var doc = JsonDocument.Parse("""{ "a": { "b": 1 }, "n": 2.5, "whole": 7.0, "list": [ { "k": { "name": "one" }, "v": "w" }, { "k": { "name": "two" }, "v": "x" } ] }""");

        Assert.Equal(expected, JsonPath.Text(doc.RootElement, path));
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public string Body { get; set; } = "{}";

        public List<(string Method, string? Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.Method.Method, request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken)));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        }
    }
}
