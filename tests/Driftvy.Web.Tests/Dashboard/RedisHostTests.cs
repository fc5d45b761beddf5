using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Dashboard;

/// <summary>The whole host with <c>ConnectionStrings:Redis</c> set, against a real redis-server.</summary>
public sealed class RedisHostTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DriftvyAppFactory CreateApp(string prefix) => new(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Redis"] = redis.ConnectionString,
        ["Aggregates:KeyPrefix"] = prefix,
    });

    [Fact]
    public async Task Host_WithRedisConnectionString_UsesRedisAndReportsIt()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        await using var app = CreateApp($"host:{Guid.NewGuid():N}:");
        using var client = app.CreateClient();
        var added = await app.Services.GetRequiredService<TelephonyPollService>().PollOnceAsync(Ct);

        var health = await client.GetFromJsonAsync<JsonElement>("/health", Ct);
        var board = await app.Services.GetRequiredService<BoardSnapshotService>().BuildAsync("kontaktcenter", Ct);

        Assert.Equal("redis", app.Services.GetRequiredService<IAggregateStore>().Kind);
        Assert.Equal("redis", health.GetProperty("aggregateStore").GetString());
        Assert.True(health.GetProperty("redis").GetProperty("reachable").GetBoolean());
        Assert.Equal("redis", board!.AggregateStore);
        Assert.Equal(added, board.Tiles.Sum(t => t.Offered));
    }
}
