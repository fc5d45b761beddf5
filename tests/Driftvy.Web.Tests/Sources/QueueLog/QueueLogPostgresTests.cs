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

    [Fact]
    public async Task ImportFileAsync_OnPostgresCallSpanningTwoFiles_StoredWithTheCallerHash()
    {
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Sources:QueueLog:Queues:600"] = "kc-stockholm" }, postgres: await postgres.CreateDatabaseAsync());
        _ = app.Server;
        var reader = app.Services.GetRequiredService<QueueLogReader>();
        var folder = Directory.CreateTempSubdirectory("driftvy-qlog-pg-");
        try
        {
            const long t = 1791957600;
            var first = Path.Combine(folder.FullName, "queue_log-1");
            var second = Path.Combine(folder.FullName, "queue_log-2");
            await File.WriteAllTextAsync(first, $"{t}|{t}.7|600|NONE|ENTERQUEUE||0701234567|1||\n", Ct);
            await File.WriteAllTextAsync(second, $"{t + 30}|{t}.7|600|Local/201@from-queue/n|CONNECT|30|{t + 30}.8|4||\n{t + 90}|{t}.7|600|Local/201@from-queue/n|COMPLETECALLER|30|60|1||\n", Ct);

            Assert.Equal(0, (await reader.ImportFileAsync(first, "freepbx", fold: true, Ct)).Import.Accepted);
            Assert.Equal(1, (await reader.ImportFileAsync(second, "freepbx", fold: true, Ct)).Import.Accepted);

            var stored = await app.WithDbAsync(db => db.Contacts.SingleAsync(Ct), Ct);
            var callers = app.Services.GetRequiredService<Driftvy.Web.Privacy.CallerIdentity>();
            Assert.Equal(($"{t}.7@600", callers.Hash("0701234567"), "070-*** ** 67"), (stored.ContactId, stored.CallerHash, stored.CallerMasked));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
