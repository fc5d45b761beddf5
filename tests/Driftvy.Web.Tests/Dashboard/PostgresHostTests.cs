using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Dashboard;

/// <summary>The whole host with <c>ConnectionStrings:Postgres</c> set, against a real PostgreSQL server.</summary>
public sealed class PostgresHostTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Host_WithPostgres_MigratesStoresFactsAndServesTheBoard()
    {
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connectionString });
        using var client = app.CreateClient();

        var polls = app.Services.GetRequiredService<TelephonyPollService>();
        var added = await polls.PollOnceAsync(Ct);
        var again = await polls.PollOnceAsync(Ct);
        var board = await app.Services.GetRequiredService<BoardSnapshotService>().BuildAsync("kontaktcenter", Ct);
        var health = await client.GetFromJsonAsync<JsonElement>("/health", Ct);

        Assert.True(added > 0);
        Assert.Equal(added + again, board!.Tiles.Sum(t => t.Offered));
        Assert.Equal("postgresql", health.GetProperty("database").GetProperty("name").GetString());
        Assert.True(health.GetProperty("database").GetProperty("reachable").GetBoolean());
    }
}
