using System.Text.Json;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Privacy;
using Driftvy.Web.Security;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>
/// One contact the folds cannot take (written past the import's checks, dated at the calendar's very end) is moved into
/// quarantine with its reason; the fold, the durable tallies and a restart go on without it, and health names it.
/// </summary>
public sealed class QuarantineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Header = "contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact\n";

    /// <summary>31 December 9999, 23:59:59 UTC: its Stockholm day lies past what a date can hold.</summary>
    private static readonly DateTimeOffset LastSecond = new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);

    /// <summary>The test clock's morning (15 October 2026, 10:30 in Stockholm): contacts at 10:00 are in the hot store.</summary>
    private static readonly DateTimeOffset Morning = new(2026, 10, 15, 10, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public Task Fold_ContactAtTheCalendarsEndWrittenStraightIntoTheTable_QuarantinedAndLaterContactsFolded() =>
        FoldPastAnUnfoldableContactAsync(null);

    /// <summary>Stores a good contact, one at the calendar's end past the checks, then two more; all but that one are folded.</summary>
    internal static async Task FoldPastAnUnfoldableContactAsync(IDictionary<string, string?>? settings)
    {
        await using var app = IngestionTestHost.Create(settings);
        await app.ImportTextAsync(IngestKind.Contacts, Header + Row("ok-1", Morning), Ct);
        await InsertPastTheChecksAsync(app, "y9999", LastSecond);

        var second = await app.ImportTextAsync(IngestKind.Contacts, Header + Row("ok-2", Morning.AddMinutes(5)), Ct);
        var third = await app.ImportTextAsync(IngestKind.Contacts, Header + Row("ok-3", Morning.AddMinutes(6)), Ct);

        Assert.True(second.Committed && third.Committed, "the imports after the bad contact commit");
        var status = app.Services.GetRequiredService<AggregateStatus>();
        Assert.False(status.Behind, $"the fold is not held up: {status.LastError}");
        Assert.Equal(3, await HotOfferedAsync(app, Morning));
        var store = app.Services.GetRequiredService<IAggregateStore>();
        Assert.Equal(await app.WithDbAsync(db => db.Contacts.MaxAsync(c => c.Seq, Ct), Ct), await store.ReadWatermarkAsync(Ct));
        Assert.Equal(0, await app.WithDbAsync(db => db.Contacts.CountAsync(c => c.ContactId == "y9999", Ct), Ct));

        var quarantined = Assert.Single((await app.Services.GetRequiredService<ContactQuarantine>().ReadAsync(10, Ct)).Latest);
        Assert.Equal(("y9999", "fold"), (quarantined.ContactId, quarantined.Stage));
        Assert.Contains("ArgumentOutOfRange", quarantined.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_AContactInQuarantine_AdminSeesItNamedAnonymousOnlyTheCount()
    {
        await using var app = IngestionTestHost.Create();
        await InsertPastTheChecksAsync(app, "y9999", LastSecond);
        await app.ImportTextAsync(IngestKind.Contacts, Header + Row("ok-1", Morning), Ct);
        using var anonymous = app.CreateClient();
        using var admin = await app.CreateClientAsAsync(Roles.Admin);

        var open = JsonDocument.Parse(await anonymous.GetStringAsync("/health", Ct)).RootElement;
        var full = JsonDocument.Parse(await admin.GetStringAsync("/health", Ct)).RootElement;

        Assert.Equal("ready", full.GetProperty("aggregates").GetProperty("state").GetString());
        Assert.Equal(1, open.GetProperty("quarantine").GetProperty("count").GetInt64());
        Assert.Empty(open.GetProperty("quarantine").GetProperty("latest").EnumerateArray());
        Assert.DoesNotContain("y9999", open.GetRawText(), StringComparison.Ordinal);
        var named = Assert.Single(full.GetProperty("quarantine").GetProperty("latest").EnumerateArray());
        Assert.Equal("y9999", named.GetProperty("contactId").GetString());
        Assert.False(string.IsNullOrWhiteSpace(named.GetProperty("reason").GetString()));
        using var page = await admin.GetAsync("/api/admin/quarantine", Ct);
        Assert.Contains("y9999", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_WithAnUnfoldableContactStored_StartsReadyAndFoldsWhatComesLater()
    {
        var folder = Path.Combine(Path.GetTempPath(), "driftvy-quarantine-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Ingestion:DropFolder:Enabled"] = "false", ["Ingestion:CatchUpInterval"] = "00:00:00" };
        try
        {
            await using (var first = new DriftvyAppFactory(settings, dataDirectory: folder))
            {
                await first.ImportTextAsync(IngestKind.Contacts, Header + Row("ok-1", Morning), Ct);
                await InsertPastTheChecksAsync(first, "y9999", LastSecond);
            }

            await using var second = new DriftvyAppFactory(settings, dataDirectory: folder);
            _ = second.Server;
            var status = second.Services.GetRequiredService<AggregateStatus>();
            await status.WhenReady.WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Equal(AggregateState.Ready, status.State);
            Assert.False(status.Behind, status.LastError);
            Assert.Equal(1, await HotOfferedAsync(second, Morning));
            await second.ImportTextAsync(IngestKind.Contacts, Header + Row("ok-2", Morning.AddMinutes(1)), Ct);
            Assert.Equal(2, await HotOfferedAsync(second, Morning));
            Assert.Equal(1, (await second.Services.GetRequiredService<ContactQuarantine>().ReadAsync(1, Ct)).Count);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AddNewAsync_AContactThatCannotBeTallied_QuarantinedInTheSameTransactionAndTheRestCommitted()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Server;
        var facts = app.Services.GetRequiredService<IContactFactStore>();

        var added = await facts.AddNewAsync("poll", [Contact("ok-1", Morning), Contact("y9999", LastSecond), Contact("ok-2", Morning.AddMinutes(1))], Ct);

        Assert.Equal(["ok-1", "ok-2"], added.Select(c => c.Contact.ContactId));
        Assert.Equal(2, await app.OfferedOnAsync("kc-stockholm", Morning, Ct));
        Assert.Equal(2, await app.WithDbAsync(db => db.Contacts.CountAsync(Ct), Ct));
        var quarantined = Assert.Single((await app.Services.GetRequiredService<ContactQuarantine>().ReadAsync(10, Ct)).Latest);
        Assert.Equal(("y9999", "tally"), (quarantined.ContactId, quarantined.Stage));
    }

    [Fact]
    public async Task BulkWriter_AContactThatCannotBeTallied_QuarantinedAndTheRestCommitted()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Server;
        var writer = new ContactBulkWriter(app.Services.GetRequiredService<CallerIdentity>());
        IReadOnlyList<ContactRecord>[] chunks = [[Contact("ok-1", Morning), Contact("y0001", new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero))], [Contact("ok-2", Morning.AddMinutes(1))]];

        List<StoredContact> added;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<DriftvyDbContext>>().CreateDbContextAsync(Ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            added = await writer.AddNewAsync(db, "file", Stream(chunks), 0, null, Ct);
            await tx.CommitAsync(Ct);
        }

        Assert.Equal(["ok-1", "ok-2"], added.Select(c => c.Contact.ContactId));
        Assert.Equal(2, await app.OfferedOnAsync("kc-stockholm", Morning, Ct));
        var quarantined = Assert.Single((await app.Services.GetRequiredService<ContactQuarantine>().ReadAsync(10, Ct)).Latest);
        Assert.Equal(("y0001", "tally"), (quarantined.ContactId, quarantined.Stage));
    }

    [Fact]
    public async Task Fold_ARowWhoseInstantNoDateCanHold_QuarantinedAsUnreadable()
    {
        await using var app = IngestionTestHost.Create();
        await app.ImportTextAsync(IngestKind.Contacts, Header + Row("ok-1", Morning), Ct);
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "INSERT INTO contacts (contact_id, source, channel, queue, offered_at_ms, received_at_ms) VALUES ('far', 'push', 0, 'kc-stockholm', {0}, 0)", [long.MaxValue / 2], Ct), Ct);

        await app.ImportTextAsync(IngestKind.Contacts, Header + Row("ok-2", Morning.AddMinutes(1)), Ct);

        Assert.False(app.Services.GetRequiredService<AggregateStatus>().Behind);
        Assert.Equal(2, await HotOfferedAsync(app, Morning));
        var quarantined = Assert.Single((await app.Services.GetRequiredService<ContactQuarantine>().ReadAsync(10, Ct)).Latest);
        Assert.Equal(("far", "read"), (quarantined.ContactId, quarantined.Stage));
    }

    [Fact]
    public void Guard_NoSingleContactToBlame_ThrowsTheFailureAsItCame()
    {
        StoredContact[] contacts = [new(1, Contact("a", Morning)), new(2, Contact("b", Morning))];
        var calls = 0;

        var thrown = Assert.Throws<TimeoutException>(() => ContactQuarantine.Guard<int>(contacts, c => ++calls == 1 ? throw new TimeoutException("store away") : c.Count));

        Assert.Equal("store away", thrown.Message);
    }

    private static string Row(string id, DateTimeOffset offered) =>
        $"{id},phone,kc-stockholm,{offered:yyyy-MM-ddTHH:mm:sszzz},{offered.AddSeconds(20):yyyy-MM-ddTHH:mm:sszzz},,{offered.AddMinutes(3):yyyy-MM-ddTHH:mm:sszzz},true\n";

    private static ContactRecord Contact(string id, DateTimeOffset offered) => new(id, Channel.Phone, "kc-stockholm", offered, null, offered == LastSecond ? null : offered, null, null);

    private static Task<int> InsertPastTheChecksAsync(DriftvyAppFactory app, string id, DateTimeOffset offered) =>
        app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "INSERT INTO contacts (contact_id, source, channel, queue, offered_at_ms, received_at_ms) VALUES ({0}, 'push', 0, 'kc-stockholm', {1}, 0)",
            [id, offered.ToUnixTimeMilliseconds()], Ct), Ct);

    private static async Task<long> HotOfferedAsync(DriftvyAppFactory app, DateTimeOffset day)
    {
        var store = app.Services.GetRequiredService<IAggregateStore>();
        var tallies = await store.ReadTalliesAsync([BucketKey.For("kc-stockholm", Granularity.Day, day)], Ct);
        return tallies[0].Offered;
    }

    private static async IAsyncEnumerable<IReadOnlyList<ContactRecord>> Stream(IEnumerable<IReadOnlyList<ContactRecord>> chunks)
    {
        foreach (var chunk in chunks)
        {
            await Task.Yield();
            yield return chunk;
        }
    }
}

/// <summary><see cref="QuarantineTests"/>'s fold against the Redis store, whose fold works out its script's arguments first.</summary>
public sealed class QuarantineRedisTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public Task Fold_RedisStore_ContactAtTheCalendarsEndQuarantinedAndLaterContactsFolded()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        return QuarantineTests.FoldPastAnUnfoldableContactAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Aggregates:KeyPrefix"] = $"quarantine:{Guid.NewGuid():N}:",
        });
    }
}
