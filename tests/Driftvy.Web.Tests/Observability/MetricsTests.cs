using System.Net;
using System.Net.Http.Headers;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Observability;
using Driftvy.Web.Security;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Driftvy.Web.Tests.Observability;

/// <summary>The metrics endpoint's access, the screens counted per board, and the fold lag, in-process.</summary>
public sealed class MetricsTests
{
    private const string Key = "a-metrics-key-for-the-test-0123456789";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_KeyOrAdmin_AreLetInAndEveryoneElseIsNot()
    {
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Telemetry:MetricsKey"] = Key, ["Security:AnonymousRead"] = "false" });
        using var anonymous = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await GetMetricsAsync(anonymous, "Metrics", Key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMetricsAsync(anonymous, "Metrics", Key[..^1] + "X")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMetricsAsync(anonymous, "Metrics", Key + "0")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMetricsAsync(anonymous, null, null)).StatusCode);
        // The key is no bearer token: that form belongs to the push API's keys and an identity provider's tokens.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMetricsAsync(anonymous, "Bearer", Key)).StatusCode);

        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        using var asAdmin = await GetMetricsAsync(admin, null, null);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Contains("driftvy_aggregates_behind", await asAdmin.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var viewer = await app.CreateClientAsAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetMetricsAsync(viewer, null, null)).StatusCode);
    }

    [Fact]
    public async Task Metrics_NoKeyConfigured_NoKeyOpensIt()
    {
        await using var app = new DriftvyAppFactory();
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMetricsAsync(client, "Metrics", "")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMetricsAsync(client, "Metrics", Key)).StatusCode);
    }

    [Fact]
    public void TelemetryOptions_ShortKeyOrBadOtlp_AreInvalid()
    {
        Assert.True(TelemetryOptions.IsValid(new TelemetryOptions()));
        Assert.True(TelemetryOptions.IsValid(new TelemetryOptions { MetricsKey = Key, Otlp = new OtlpOptions { Endpoint = "http://collector:4318", Protocol = "http/protobuf" } }));
        Assert.False(TelemetryOptions.IsValid(new TelemetryOptions { MetricsKey = "short" }), "a guessable key");
        Assert.False(TelemetryOptions.IsValid(new TelemetryOptions { Otlp = new OtlpOptions { Endpoint = "collector:4317 " } }), "not an absolute URI");
        Assert.False(TelemetryOptions.IsValid(new TelemetryOptions { Otlp = new OtlpOptions { Protocol = "http" } }), "an unknown protocol");
        Assert.False(TelemetryOptions.IsValid(new TelemetryOptions { FoldLagEvery = TimeSpan.Zero }), "no sampling interval");
    }

    [Fact]
    public async Task ScreensConnected_JoinTwiceLeaveAndReconnect_CountsEachScreenOncePerBoard()
    {
        await using var app = new DriftvyAppFactory();
        var screens = app.Services.GetRequiredService<ScreenCount>();
        await using var first = HubClients.ForTestServer(app.Server, DashboardHub.Path);
        await using var second = HubClients.ForTestServer(app.Server, DashboardHub.Path);
        await first.StartAsync(Ct);
        await second.StartAsync(Ct);

        await first.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct);
        await first.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct);
        await second.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct);
        await second.InvokeAsync<BoardSnapshot>("JoinBoard", "aldre-direkt", Ct);
        Assert.Equal(2, screens.On("kontaktcenter"));
        Assert.Equal(1, screens.On("aldre-direkt"));

        await second.InvokeAsync("LeaveBoard", "aldre-direkt", Ct);
        Assert.Equal(0, screens.On("aldre-direkt"));
        Assert.False(screens.ByBoard().ContainsKey("aldre-direkt"), "a board nobody watches is not reported");

        // A screen that drops and comes back is a new connection; the old one's disconnect takes it off.
        await first.StopAsync(Ct);
        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(screens.On("kontaktcenter") == 1), TimeSpan.FromSeconds(10), Ct), "the disconnected screen is no longer counted");
        await using var again = HubClients.ForTestServer(app.Server, DashboardHub.Path);
        await again.StartAsync(Ct);
        await again.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct);
        Assert.Equal(2, screens.On("kontaktcenter"));
    }

    [Fact]
    public async Task FoldLag_FactsStoredButNotFolded_CountsThemAndTheTimeTheyWait()
    {
        var time = new FakeTimeProvider(TestClock.OrdinaryMorning);
        // Neither of the host's own catch-ups may fold the facts the test holds back: the aggregate check far apart on
        // the test's clock, and the scheduled fold of facts stored by other processes (every 10 s of real time) off.
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?>
        {
            ["Aggregates:CheckInterval"] = "01:00:00",
            ["Ingestion:CatchUpInterval"] = "00:00:00",
        }, time);
        _ = app.Server;
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var lag = app.Services.GetRequiredService<FoldLag>();
        Assert.Null(lag.Contacts);

        await lag.SampleAsync(Ct);
        Assert.Equal(0, lag.Contacts);
        Assert.Equal(0, lag.Seconds);

        // Stored but not folded (as while the hot store is down): the lag counts them and grows while they wait.
        var offered = TestClock.OrdinaryMorning.AddMinutes(-5);
        var contacts = Enumerable.Range(0, 3).Select(i => new ContactRecord($"lag-{i}", Channel.Phone, "kc-vaxel", offered, offered.AddSeconds(20), null, offered.AddSeconds(200), null)).ToList();
        await app.Services.GetRequiredService<IContactFactStore>().AddNewAsync("test", contacts, Ct);
        await lag.SampleAsync(Ct);
        Assert.Equal(3, lag.Contacts);
        Assert.Equal(0, lag.Seconds);
        time.Advance(TimeSpan.FromSeconds(15));
        await lag.SampleAsync(Ct);
        Assert.Equal(3, lag.Contacts);
        Assert.Equal(15, lag.Seconds);

        await app.Services.GetRequiredService<AggregateCatchUp>().CatchUpAsync(Ct);
        time.Advance(TimeSpan.FromSeconds(15));
        await lag.SampleAsync(Ct);
        Assert.Equal(0, lag.Contacts);
        Assert.Equal(0, lag.Seconds);
    }

    private static async Task<HttpResponseMessage> GetMetricsAsync(HttpClient client, string? scheme, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (scheme is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, key);
        }

        return await client.SendAsync(request, Ct);
    }
}
