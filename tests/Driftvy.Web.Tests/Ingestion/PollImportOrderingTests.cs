using System.Text;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary>
/// Telephony polls (stored and folded at once) racing bulk imports that only store (as <c>driftvy import</c>
/// does from another process) on a real PostgreSQL: both take the same contact lock, so no import can commit
/// sequence numbers below a watermark a poll has already folded past.
/// </summary>
public sealed class PollImportOrderingTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const int Imports = 6;
    private const int ContactsPerImport = 20_000;
    private const int MaxPolls = 10_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Early on the host's day (06:30 UTC, 08:30 in Stockholm): the hot store folds it.
    private static DateTimeOffset Day => TestClock.OrdinaryMorning.AddHours(-2);

    [Fact]
    public async Task PollOnceAsync_DuringBulkImportsOnPostgres_CatchUpFoldsEveryStoredFactOnceAndEqualsRebuild()
    {
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        var source = new SteadySource(Day);
        await using var app = new DriftvyAppFactory(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = await postgres.CreateDatabaseAsync(),
                ["Ingestion:DropFolder:Enabled"] = "false",
                ["Ingestion:CatchUpInterval"] = "00:00:00",
            },
            services: s => s.AddSingleton<ITelephonySource>(source));
        var imports = app.Imports();
        var polls = app.Services.GetRequiredService<TelephonyPollService>();
        var catchUp = app.Services.GetRequiredService<AggregateCatchUp>();
        var store = app.Services.GetRequiredService<IAggregateStore>();
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(TimeSpan.FromMinutes(1), Ct);

        var importing = Task.Run(
            async () =>
            {
                for (var i = 0; i < Imports; i++)
                {
                    var csv = Encoding.UTF8.GetBytes(IngestionTestHost.ContactsCsv(ContactsPerImport, Day, $"bulk{i}-"));
                    var result = await imports.ImportAsync(new ImportRequest(IngestKind.Contacts, "cli", $"bulk-{i}.csv") { Fold = false }, csv, null, Ct);
                    Assert.Equal(ContactsPerImport, result.Accepted);
                }
            },
            Ct);
        var polled = 0;
        for (var n = 0; n < MaxPolls && !importing.IsCompleted; n++)
        {
            polled += await polls.PollOnceAsync(Ct);
        }

        await importing;
        await catchUp.CatchUpAsync(Ct);
        var day = BucketKey.For("kc-stockholm", Granularity.Day, Day);
        var folded = (await store.ReadTalliesAsync([day], Ct))[0];
        var (facts, maxSeq) = await app.WithDbAsync(async db => (await db.Contacts.CountAsync(Ct), await db.Contacts.MaxAsync(c => c.Seq, Ct)), Ct);
        await catchUp.RebuildAsync(Ct);
        var rebuilt = (await store.ReadTalliesAsync([day], Ct))[0];

        Assert.True(polled > 0, "no poll ran while the imports were storing");
        Assert.Equal(Imports * ContactsPerImport + polled, facts);
        Assert.Equal(facts, folded.Offered);
        Assert.Equal((rebuilt.Offered, rebuilt.Answered), (folded.Offered, folded.Answered));
        Assert.Equal(maxSeq, await store.ReadWatermarkAsync(Ct));
    }

    /// <summary>A telephony platform that reports a few new answered calls on kc-stockholm at every poll.</summary>
    private sealed class SteadySource(DateTimeOffset day) : ITelephonySource
    {
        private int _polls;

        public string Id => "steady";

        public Task<TelephonyPoll> PollAsync(CancellationToken cancellationToken)
        {
            var poll = Interlocked.Increment(ref _polls);
            var contacts = Enumerable.Range(0, 10)
                .Select(i =>
                {
                    var offered = day.AddSeconds((poll * 10 + i) % 3600);
                    return new ContactRecord($"poll{poll}-{i}", Channel.Phone, "kc-stockholm", offered, offered.AddSeconds(20), null, offered.AddSeconds(180), true);
                })
                .ToList();
            return Task.FromResult(new TelephonyPoll(day, contacts, []));
        }
    }
}
