using Driftvy.Web.Sources;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Cluster;

/// <summary>
/// Two clustered instances on one PostgreSQL database: a delivery that reached one instance, and an error seen by the
/// other, are known to both, so whichever judges a source's silence (the alert lease holder) or answers /health agrees.
/// </summary>
public sealed class SourceStatusExchangeTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoInstances_DeliveryOnOneErrorOnTheOther_BothKnowTheNewestOfEach()
    {
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        var database = await postgres.CreateDatabaseAsync();
        Dictionary<string, string?> Settings() => new()
        {
            ["ConnectionStrings:Postgres"] = database,
            ["Scheduling:Clustered"] = "true",
            ["Scheduling:CheckinInterval"] = "00:00:02",
            ["Scheduling:SourceStatusEvery"] = "00:00:00.2",
        };
        await using var first = new DriftvyAppFactory(Settings());
        _ = first.Server;
        await using var second = new DriftvyAppFactory(Settings());
        _ = second.Server;
        var onFirst = first.Services.GetRequiredService<SourceHealth>();
        var onSecond = second.Services.GetRequiredService<SourceHealth>();

        // A push reaches the first instance; a minute later the second sees the same source fail.
        // Whole milliseconds, as the database keeps them.
        var delivered = DateTimeOffset.FromUnixTimeMilliseconds(first.Time.GetUtcNow().ToUnixTimeMilliseconds());
        onFirst.RecordIngest("ekonomi", "push", delivered, 120, 0, delivered.AddHours(-1), null);
        var failed = delivered.AddMinutes(1);
        onSecond.RecordIngest("ekonomi", "push", failed, 0, 3, null, "rad 4: belopp saknas");

        bool Agree(SourceHealth h) => h.Get("ekonomi") is { } s && s.LastSuccessAt == delivered && s.LastErrorAt == failed && s.LastError == "rad 4: belopp saknas" && s.LatestRecordAt == delivered.AddHours(-1);
        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(Agree(onFirst) && Agree(onSecond)), TimeSpan.FromSeconds(30), Ct),
            $"first: {onFirst.Get("ekonomi")}; second: {onSecond.Get("ekonomi")}");

        // Counters stay each instance's own: the rows each of them took.
        Assert.Equal(120, onFirst.Get("ekonomi")!.RowsAcceptedTotal);
        Assert.Equal(0, onSecond.Get("ekonomi")!.RowsAcceptedTotal);

        // An older delivery written later does not move the newest back.
        // (A later error written with it tells when the first instance has read that exchange.)
        onSecond.RecordIngest("ekonomi", "push", delivered.AddMinutes(-10), 5, 0, null, null);
        onSecond.RecordIngest("ekonomi", "push", failed.AddMinutes(1), 0, 1, null, "rad 9: datum saknas");
        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(onFirst.Get("ekonomi")!.LastError == "rad 9: datum saknas"), TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(delivered, onFirst.Get("ekonomi")!.LastSuccessAt);
    }
}
