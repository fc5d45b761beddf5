using System.Net;
using System.Text;
using System.Text.Json;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary>
/// The <c>genesys-cloud</c> preset and the poller's OAuth client credentials, against a small HTTP server on a loopback
/// port that plays both Genesys Cloud's token endpoint and its queue observations query. The answer is written from the
/// documented shape (<c>results[].group.queueId</c>, <c>data[].metric</c>/<c>qualifier</c>/<c>stats.count</c>, and
/// <c>observations[]</c> oldest first with their <c>observationDate</c>).
/// </summary>
public sealed class GenesysCloudPresetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Queue1 = "0a4e6c1d-2b3f-4a5e-8c7d-9e0f1a2b3c4d";
    private const string Queue2 = "5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f";
    private const string ClientId = "b1c2d3e4-driftvy";
    private const string ClientSecret = "s3cret+with/odd=chars";

    private static readonly DateTimeOffset Now = TestClock.OrdinaryMorning;

    /// <summary>Queue 1: three waiting (the oldest since 95 s before the poll), 4 idle and 7 interacting on queue, 2 off queue. Queue 2: nobody waits, and metrics at zero are left out.</summary>
    private static string Answer() => $$"""
        {
          "results": [
            {
              "group": { "queueId": "{{Queue1}}", "mediaType": "voice" },
              "data": [
                {
                  "metric": "oWaiting",
                  "stats": { "count": 3 },
                  "truncated": false,
                  "observations": [
                    { "observationDate": "{{Iso(Now.AddSeconds(-95.4))}}", "conversationId": "c0ffee00-0000-4000-8000-000000000001", "sessionId": "5e550000-0000-4000-8000-000000000001", "routingPriority": 0, "direction": "inbound", "addressFrom": "tel:+46812345601" },
                    { "observationDate": "{{Iso(Now.AddSeconds(-40))}}", "conversationId": "c0ffee00-0000-4000-8000-000000000002", "sessionId": "5e550000-0000-4000-8000-000000000002", "routingPriority": 0, "direction": "inbound" },
                    { "observationDate": "{{Iso(Now.AddSeconds(-3))}}", "conversationId": "c0ffee00-0000-4000-8000-000000000003", "sessionId": "5e550000-0000-4000-8000-000000000003", "routingPriority": 0, "direction": "inbound" }
                  ]
                },
                { "metric": "oOnQueueUsers", "qualifier": "IDLE", "stats": { "count": 4 } },
                { "metric": "oOnQueueUsers", "qualifier": "INTERACTING", "stats": { "count": 7 } },
                { "metric": "oOnQueueUsers", "qualifier": "NOT_RESPONDING", "stats": { "count": 1 } },
                { "metric": "oOffQueueUsers", "stats": { "count": 2 } }
              ]
            },
            {
              "group": { "queueId": "{{Queue2}}", "mediaType": "voice" },
              "data": [
                { "metric": "oWaiting", "stats": { "count": 0 } },
                { "metric": "oOnQueueUsers", "qualifier": "IDLE", "stats": { "count": 5 } }
              ]
            }
          ]
        }
        """;

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static DriftvyAppFactory Host(GenesysStub genesys, TimeProvider? time = null) => IngestionTestHost.Create(new Dictionary<string, string?>
    {
        ["Ingestion:HttpPollers:0:Source"] = "genesys",
        ["Ingestion:HttpPollers:0:Preset"] = "genesys-cloud",
        ["Ingestion:HttpPollers:0:Url"] = $"http://127.0.0.1:{genesys.Port}/api/v2/analytics/queues/observations/query",
        ["Ingestion:HttpPollers:0:TokenUrl"] = $"http://127.0.0.1:{genesys.Port}/oauth/token",
        ["Ingestion:HttpPollers:0:ClientId"] = ClientId,
        ["Ingestion:HttpPollers:0:ClientSecret"] = ClientSecret,
        ["Ingestion:HttpPollers:0:Enabled"] = "false",
        [$"Ingestion:HttpPollers:0:Queues:{Queue1}"] = "kc-stockholm",
        [$"Ingestion:HttpPollers:0:Queues:{Queue2}"] = "aldre-direkt",
    }, time: time ?? TestClock.Frozen(Now));

    [Fact]
    public async Task PollOnceAsync_GenesysCloudPreset_GetsATokenAndStoresOneSnapshotPerQueue()
    {
        await using var genesys = new GenesysStub(Answer());
        await using var app = Host(genesys);
        _ = app.Server;
        var poller = app.Services.GetRequiredService<HttpPoller>();

        var result = await poller.PollOnceAsync("genesys", Ct);

        Assert.Equal(2, result!.Accepted);
        var token = Assert.Single(genesys.TokenRequests);
        var basic = Encoding.UTF8.GetString(Convert.FromBase64String(token.Authorization!["Basic ".Length..]));
        Assert.Equal($"{Uri.EscapeDataString(ClientId)}:{Uri.EscapeDataString(ClientSecret)}", basic);
        Assert.Equal("grant_type=client_credentials", token.Body);
        var query = Assert.Single(genesys.QueryRequests);
        Assert.Equal("Bearer token-1", query.Authorization);
        using (var sent = JsonDocument.Parse(query.Body))
        {
            var filter = sent.RootElement.GetProperty("filter");
            Assert.Equal([Queue1, Queue2], filter.GetProperty("clauses")[0].GetProperty("predicates").EnumerateArray()
                .Select(p => p.GetProperty("dimension").GetString() == "queueId" ? p.GetProperty("value").GetString() : null));
            Assert.Equal("voice", filter.GetProperty("predicates")[0].GetProperty("value").GetString());
            Assert.Equal("oWaiting", Assert.Single(sent.RootElement.GetProperty("detailMetrics").EnumerateArray()).GetString());
        }

        var shown = await app.Services.GetRequiredService<IAggregateStore>().ReadSnapshotsAsync(["kc-stockholm", "aldre-direkt"], Ct);
        // The oldest observation began 95.4 s before the poll: 95 whole seconds.
        Assert.Equal((3, 95, 4, 7, 2), (shown[0]!.Waiting, shown[0]!.LongestWaitSeconds, shown[0]!.AgentsAvailable, shown[0]!.AgentsBusy, shown[0]!.AgentsAway));
        Assert.Equal((0, 0, 5, 0, 0), (shown[1]!.Waiting, shown[1]!.LongestWaitSeconds, shown[1]!.AgentsAvailable, shown[1]!.AgentsBusy, shown[1]!.AgentsAway));

        // The token is kept for the next poll (it lives a day).
        await poller.PollOnceAsync("genesys", Ct);
        Assert.Single(genesys.TokenRequests);
        Assert.Equal(2, genesys.QueryRequests.Count);
    }

    [Fact]
    public async Task PollOnceAsync_TokenRevoked_FetchesANewTokenAndRetriesOnce()
    {
        await using var genesys = new GenesysStub(Answer());
        var time = TestClock.Frozen(Now);
        await using var app = Host(genesys, time);
        _ = app.Server;
        var poller = app.Services.GetRequiredService<HttpPoller>();
        await poller.PollOnceAsync("genesys", Ct);

        genesys.Revoke("token-1");
        time.Advance(TimeSpan.FromSeconds(15));
        var result = await poller.PollOnceAsync("genesys", Ct);

        Assert.Equal(2, result!.Accepted);
        Assert.Equal(2, genesys.TokenRequests.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2"], genesys.QueryRequests.Select(r => r.Authorization));
        Assert.Null(app.Services.GetRequiredService<SourceHealth>().Get("genesys")!.LastError);
    }

    [Fact]
    public async Task PollOnceAsync_ClientCredentialsRefused_FailsInHealthWithoutTheSecret()
    {
        await using var genesys = new GenesysStub(Answer()) { RefuseTokens = true };
        await using var app = Host(genesys);
        _ = app.Server;

        await Assert.ThrowsAsync<HttpRequestException>(() => app.Services.GetRequiredService<HttpPoller>().PollOnceAsync("genesys", Ct));

        Assert.Empty(genesys.QueryRequests);
        var error = app.Services.GetRequiredService<SourceHealth>().Get("genesys")!.LastError;
        Assert.Contains("401", error, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, error, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(ClientSecret), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollOnceAsync_TokenNearItsExpiry_IsRenewedBeforeThePoll()
    {
        // A two-minute token is renewed a tenth of its life (12 s) before it runs out.
        await using var genesys = new GenesysStub(Answer()) { TokenLifetimeSeconds = 120 };
        var time = TestClock.Frozen(Now);
        await using var app = Host(genesys, time);
        _ = app.Server;
        var poller = app.Services.GetRequiredService<HttpPoller>();

        await poller.PollOnceAsync("genesys", Ct);
        time.Advance(TimeSpan.FromSeconds(100));
        await poller.PollOnceAsync("genesys", Ct);
        var afterHundredSeconds = genesys.TokenRequests.Count;
        time.Advance(TimeSpan.FromSeconds(10));
        await poller.PollOnceAsync("genesys", Ct);

        Assert.Equal(1, afterHundredSeconds);
        Assert.Equal(2, genesys.TokenRequests.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2"], genesys.QueryRequests.Select(r => r.Authorization));
    }

    [Theory]
    [InlineData("https://login.mypurecloud.de/oauth/token", "id", "secret", "", true)]
    [InlineData("https://login.mypurecloud.de/oauth/token", "id", "", "", false)]
    [InlineData("https://login.mypurecloud.de/oauth/token", "", "secret", "", false)]
    [InlineData("https://login.mypurecloud.de/oauth/token", "id", "secret", "Basic eDp5", false)]
    [InlineData("login.mypurecloud.de/oauth/token", "id", "secret", "", false)]
    [InlineData("", "id", "secret", "", false)]
    [InlineData("", "", "", "Basic eDp5", true)]
    public void IsValid_ClientCredentialSettings_NeedATokenUrlAnIdAndASecretAndNoFixedHeader(string tokenUrl, string clientId, string secret, string header, bool valid)
    {
        var poller = new HttpPollerOptions
        {
            Source = "genesys", Url = "https://api.mypurecloud.de/api/v2/analytics/queues/observations/query", Preset = "genesys-cloud",
            TokenUrl = tokenUrl, ClientId = clientId, ClientSecret = secret, AuthorizationHeader = header,
        };

        Assert.Equal(valid, HttpPollerOptions.IsValid(poller));
    }

    [Theory]
    [InlineData("age(at)", "95")]
    [InlineData("age(missing) ?? 0", "0")]
    [InlineData("age(future) ?? 0", "0")]
    [InlineData("list[k=a&q=y].v", "2")]
    [InlineData("list[k=a&q=z].v", null)]
    public void Text_AgeAndSelectorsWithSeveralKeys_Read(string path, string? expected)
    {
        using var doc = JsonDocument.Parse($$"""
            { "at": "{{Iso(Now.AddSeconds(-95.9))}}", "future": "{{Iso(Now.AddSeconds(30))}}",
              "list": [ { "k": "a", "q": "x", "v": 1 }, { "k": "a", "q": "y", "v": 2 } ] }
            """);

        Assert.Equal(expected, JsonPath.Text(doc.RootElement, path, Now));
    }

    /// <summary>Genesys Cloud's token endpoint and queue observations query on a loopback port, recording what it was sent.</summary>
    private sealed class GenesysStub : IAsyncDisposable
    {
        private readonly LoopbackHttpServer _server;
        private readonly string _answer;
        private readonly HashSet<string> _revoked = new(StringComparer.Ordinal);
        private int _issued;

        public GenesysStub(string answer)
        {
            _answer = answer;
            _server = new LoopbackHttpServer(HandleAsync);
        }

        public int Port => _server.Port;

        public bool RefuseTokens { get; init; }

        public int TokenLifetimeSeconds { get; init; } = 86399;

        public List<(string? Authorization, string Body)> TokenRequests { get; } = [];

        public List<(string? Authorization, string Body)> QueryRequests { get; } = [];

        public void Revoke(string token)
        {
            lock (_revoked)
            {
                _revoked.Add(token);
            }
        }

        private Task HandleAsync(HttpListenerContext context, string body)
        {
            var authorization = context.Request.Headers["Authorization"];
            var (status, answer) = (context.Request.HttpMethod, context.Request.Url!.AbsolutePath) switch
            {
                ("POST", "/oauth/token") => Token(authorization, body),
                ("POST", "/api/v2/analytics/queues/observations/query") => Query(authorization, body),
                _ => (HttpStatusCode.NotFound, "{}"),
            };
            return LoopbackHttpServer.AnswerJsonAsync(context, status, answer);
        }

        private (HttpStatusCode, string) Token(string? authorization, string body)
        {
            lock (TokenRequests)
            {
                TokenRequests.Add((authorization, body));
            }

            if (RefuseTokens)
            {
                return (HttpStatusCode.Unauthorized, """{"error":"invalid_client","description":"client not found"}""");
            }

            var n = Interlocked.Increment(ref _issued);
            return (HttpStatusCode.OK, $$"""{"access_token":"token-{{n}}","token_type":"bearer","expires_in":{{TokenLifetimeSeconds}}}""");
        }

        private (HttpStatusCode, string) Query(string? authorization, string body)
        {
            lock (QueryRequests)
            {
                QueryRequests.Add((authorization, body));
            }

            var token = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization["Bearer ".Length..] : null;
            bool revoked;
            lock (_revoked)
            {
                revoked = token is null || _revoked.Contains(token);
            }

            return revoked || token!.Length == 0 || !token.StartsWith("token-", StringComparison.Ordinal)
                ? (HttpStatusCode.Unauthorized, """{"message":"Invalid login credentials.","code":"bad.credentials","status":401}""")
                : (HttpStatusCode.OK, _answer);
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
