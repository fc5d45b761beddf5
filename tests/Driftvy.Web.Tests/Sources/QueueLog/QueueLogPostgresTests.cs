using Driftvy.Web.Sources.QueueLog;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Sources.QueueLog;

/// <summary>The queue_log import and its stored position on a real PostgreSQL server (the migration included).</summary>
public sealed class QueueLogPostgresTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ImportFileAsync_OnPostgresTwice_CallsOnceAndTheOpenCallKept()
    {
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Sources:QueueLog:Queues:600"] = "kc-stockholm" }, postgres: await postgres.CreateDatabaseAsync());
        _ = app.Server;
        var reader = app.Services.GetRequiredService<QueueLogReader>();

        var first = await reader.ImportFileAsync(QueueLogImportTests.Fixture, "freepbx", fold: true, Ct);
        var second = await reader.ImportFileAsync(QueueLogImportTests.Fixture, "freepbx", fold: true, Ct);

        Assert.Equal((320, 0), (first.Import.Accepted, first.Import.Duplicates)); // make_freepbx_day.py: 225 answered + 95 unanswered
        Assert.Equal((0, 320), (second.Import.Accepted, second.Import.Duplicates));
        var position = await app.WithDbAsync(db => db.QueueLogPositions.SingleAsync(Ct), Ct);
        Assert.Equal("freepbx", position.Source);
        Assert.Contains("\"enterEpoch\"", position.StateJson, StringComparison.Ordinal); // the call still waiting at the end
        Assert.DoesNotContain("0701234567", position.StateJson, StringComparison.Ordinal); // its caller is not kept in clear
    }
}
