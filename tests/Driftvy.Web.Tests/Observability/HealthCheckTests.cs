using System.Net;
using System.Text.Json;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Observability;

/// <summary>Liveness and readiness on the health-check framework, beside the unchanged <c>/health</c> report.</summary>
public sealed class HealthCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LiveAndReady_RunningApp_AnswerAliveAndReady()
    {
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Security:AnonymousRead"] = "false" });
        using var client = app.CreateClient();

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("""{"status":"alive"}""", await live.Content.ReadAsStringAsync(Ct));

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Ct));
        Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
        var check = Assert.Single(body.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("facts-and-aggregates", check.GetProperty("name").GetString());

        using var report = await client.GetAsync(new Uri("/health", UriKind.Relative), Ct);
        using var health = JsonDocument.Parse(await report.Content.ReadAsStringAsync(Ct));
        Assert.Equal("in-process", health.RootElement.GetProperty("aggregateStore").GetString());
        Assert.Equal("sqlite", health.RootElement.GetProperty("database").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Ready_RedisDown_IsUnavailableAndOnlyAnAdminSeesWhy()
    {
        var deadPort = Requirements.FreePort();
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = $"127.0.0.1:{deadPort},abortConnect=false,connectTimeout=500,syncTimeout=1000",
        });
        using var client = app.CreateClient();

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Ct));
        var redis = body.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "redis");
        Assert.Equal("unhealthy", redis.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, redis.GetProperty("error").ValueKind);

        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        using var adminReady = await admin.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        using var detailed = JsonDocument.Parse(await adminReady.Content.ReadAsStringAsync(Ct));
        var why = detailed.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "redis").GetProperty("error").GetString();
        Assert.False(string.IsNullOrEmpty(why), "an admin is told why Redis is not ready");

        // The old report says the same, with its 503.
        using var report = await client.GetAsync(new Uri("/health", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, report.StatusCode);
    }
}
