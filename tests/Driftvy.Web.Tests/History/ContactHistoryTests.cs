using System.Globalization;
using System.Text;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Cli;
using Driftvy.Web.History;
using Driftvy.Web.Privacy;
using Driftvy.Web.Reports.Export;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Driftvy.Web.Tests.History;

/// <summary>
/// Durable contact tallies: written with the facts, the same reports from the command line (no host) and the host,
/// unchanged by re-imports, rejected files and pruning, derived for an older database, checked by <c>verify</c>.
/// </summary>
public sealed class ContactHistoryTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    // The reports are asked for in April, well after March closed.
    private static readonly DateTimeOffset InApril = new(2026, 4, 15, 8, 0, 0, TimeSpan.Zero);
    private const int PerDay = 120;
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private readonly string _folder = Directory.CreateTempSubdirectory("driftvy-history-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Codec_RoundTrip_KeepsEveryCounterAndHistogram()
    {
        var tally = new ContactTally();
        foreach (var c in March().Take(500))
        {
            tally.Add(c);
        }

        var back = ContactTallyCodec.Decode(ContactTallyCodec.Encode(tally));

        Assert.Null(HistoryVerifier.Difference(back, tally));
        Assert.Equal(tally.AnsweredWaitSecondsSum, back.AnsweredWaitSecondsSum);
        Assert.Equal(ContactTallyCodec.Encode(tally), ContactTallyCodec.Encode(back));
        Assert.Throws<InvalidDataException>(() => ContactTallyCodec.Decode([9, 0, 0]));
    }

    [Fact]
    public async Task CommandLine_ImportThenReportWithoutAHost_GivesTheComputedFiguresAndTheHostsBytes()
    {
        var csv = Path.Combine(_folder, "contacts-march.csv");
        await File.WriteAllTextAsync(csv, Csv(March()), Ct);
        var report = Path.Combine(_folder, "march.json");

        Assert.Equal(0, await RunAsync("import", "contacts", csv));
        Assert.Equal(0, await RunAsync("report", "monthly", "2026", "3", "--format", "json", "-o", report));
        Assert.Equal(0, await RunAsync("verify", "--from", "2026-03-01"));

        var fromCommandLine = await File.ReadAllBytesAsync(report, Ct);
        var (within60, answered, abandoned) = Expected(March());
        var row = KcRow(Encoding.UTF8.GetString(fromCommandLine), "kc_answered_within_1_min");
        Assert.Equal(100.0 * within60 / (answered + abandoned), row, 9);
        Assert.Equal(100.0 * answered / (answered + abandoned), KcRow(Encoding.UTF8.GetString(fromCommandLine), "kc_answer_rate"), 9);

        // The host on the same folder, started afresh (its hot store empty), gives the same document to the byte.
        await using var host = new DriftvyAppFactory(time: TestClock.Frozen(InApril), dataDirectory: _folder);
        using var client = host.CreateClient();
        var fromHost = await client.GetByteArrayAsync("/api/reports/monthly/2026/3?format=json", Ct);
        Assert.Equal(Encoding.UTF8.GetString(fromCommandLine), Encoding.UTF8.GetString(fromHost));
    }

    [Fact]
    public async Task Report_PeriodBeforeTheStoredHistory_SaysWhereTheHistoryStarts()
    {
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Storage:DataDirectory"] = _folder }, time: TestClock.Frozen(InApril));
        using var client = app.CreateClient();
        var empty = JsonReportWriter.Deserialize(await client.GetStringAsync("/api/reports/monthly/2026/1?format=json", Ct));
        Assert.True((await app.ImportTextAsync(Web.Sources.Ingestion.IngestKind.Contacts, Csv(March()), Ct)).Committed);

        var january = JsonReportWriter.Deserialize(await client.GetStringAsync("/api/reports/monthly/2026/1?format=json", Ct));

        static string? Reason(Driftvy.Web.Reports.ReportDocument d) =>
            d.Divisions.Single(x => x.Id == "kontaktcenter").Rows.Single(r => r.KpiId == "kc_answered_within_1_min").NoValueReason;
        Assert.Equal("no contact data stored yet", Reason(empty));
        Assert.Equal("contact data from 2026-03-01: none stored for jan 2026", Reason(january));
    }

    [Fact]
    public async Task Import_SameFileTwiceAndARejectedFile_TalliesCountEachContactOnceAndNothingFromTheRejected()
    {
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Storage:DataDirectory"] = _folder }, time: TestClock.Frozen(InApril));
        var text = Csv(March());
        Assert.True((await app.ImportTextAsync(Web.Sources.Ingestion.IngestKind.Contacts, text, Ct)).Committed);
        var once = await TalliesAsync(app);

        Assert.True((await app.ImportTextAsync(Web.Sources.Ingestion.IngestKind.Contacts, text, Ct)).Committed);
        var bad = Csv(April()) + "broken,phone,kc-stockholm,not-a-time,,,,\n";
        Assert.False((await app.ImportTextAsync(Web.Sources.Ingestion.IngestKind.Contacts, bad, Ct)).Committed);

        Assert.Equal(once, await TalliesAsync(app));
        Assert.Equal(March().Count(c => c.Queue == "kc-stockholm"), await DayOffered(app, "kc-stockholm"));
        Assert.True((await app.Services.GetRequiredService<HistoryVerifier>().VerifyAsync(new DateOnly(2026, 3, 1), Ct)).Consistent);
    }

    [Fact]
    public async Task Prune_FactsPastRetention_ReportsOfThoseMonthsDoNotChange()
    {
        var time = TestClock.Frozen(InApril);
        var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = _folder, ["Privacy:ContactRetention"] = "100.00:00:00" };
        await using var app = IngestionTestHost.Create(settings, time: time);
        Assert.True((await app.ImportTextAsync(Web.Sources.Ingestion.IngestKind.Contacts, Csv(March()), Ct)).Committed);
        using var client = app.CreateClient();
        var before = await client.GetStringAsync("/api/reports/monthly/2026/3?format=json", Ct);

        Assert.Equal(March().Count(), await app.WithDbAsync(db => db.Contacts.CountAsync(Ct), Ct));

        // Half a year on, the March facts are past their 100 days and deleted (by the pruning timer as the clock
        // passes its firings, or by this call); the tallies stay.
        time.Advance(TimeSpan.FromDays(183));
        await app.Services.GetRequiredService<ContactPruner>().PruneOnceAsync(Ct);
        var after = await client.GetStringAsync("/api/reports/monthly/2026/3?format=json", Ct);

        Assert.Equal(0, await app.WithDbAsync(db => db.Contacts.CountAsync(Ct), Ct));
        Assert.Equal(KcRow(before, "kc_answered_within_1_min"), KcRow(after, "kc_answered_within_1_min"));
        Assert.Equal(KcRow(before, "kc_answer_rate"), KcRow(after, "kc_answer_rate"));
    }

    [Fact]
    public async Task Prune_TalliesPastHistoryRetention_DeletedAndTheReportSaysWhereTheHistoryStarts()
    {
        var time = TestClock.Frozen(InApril);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _folder, ["Privacy:ContactRetention"] = "100.00:00:00", ["History:Retention"] = "200.00:00:00",
        };
        await using var app = IngestionTestHost.Create(settings, time: time);
        Assert.True((await app.ImportTextAsync(Web.Sources.Ingestion.IngestKind.Contacts, Csv(March()), Ct)).Committed);
        var pruner = app.Services.GetRequiredService<TallyPruner>();

        // In July the March tallies are still within their 200 days (the facts are gone); a year on they are not
        // (deleted by the pruning timer as the clock passes its firings, or by this call).
        var stored = await TalliesAsync(app);
        time.Advance(TimeSpan.FromDays(100));
        await pruner.PruneOnceAsync(Ct);
        Assert.Equal(stored, await TalliesAsync(app));
        time.Advance(TimeSpan.FromDays(265));
        await pruner.PruneOnceAsync(Ct);

        Assert.NotEqual(string.Empty, stored);
        Assert.Equal(string.Empty, await TalliesAsync(app));
        Assert.Null(await app.Services.GetRequiredService<IContactHistory>().FirstDayAsync(Ct));
        using var client = app.CreateClient();
        Assert.Contains("no contact data stored yet", await client.GetStringAsync("/api/reports/monthly/2026/3?format=json", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HistoryRetentionShorterThanTheFacts_RefusedNamingTheKeys()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _folder, ["Privacy:ContactRetention"] = "400.00:00:00", ["History:Retention"] = "30.00:00:00",
        };
        await using var app = IngestionTestHost.Create(settings);

        var refused = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains("History:Retention", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Channels_PhoneAndChat_TalliedApartAddingUpToEachDayAndBackfilledForAnOlderDatabase()
    {
        var contacts = March().Select((c, i) => i % 4 == 0 ? c with { Channel = Channel.Chat } : c).ToList();
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Storage:DataDirectory"] = _folder }, time: TestClock.Frozen(InApril));
        Assert.True((await app.ImportTextAsync(Web.Sources.Ingestion.IngestKind.Contacts, Csv(contacts), Ct)).Committed);
        var history = app.Services.GetRequiredService<IContactHistory>();
        var (march, april) = (new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 1));

        var channels = await history.ReadChannelDaysAsync(march, april, Ct);
        var days = await history.ReadDaysAsync(march, april, Ct);

        Assert.Equal(contacts.Count(c => c is { Channel: Channel.Chat, Queue: "kc-stockholm" }), channels.Where(d => d is { Channel: Channel.Chat, Queue: "kc-stockholm" }).Sum(d => d.Tally.Offered));
        Assert.All(days, day =>
        {
            var parts = channels.Where(c => c.Queue == day.Queue && c.Date == day.Date).ToList();
            Assert.Equal((day.Tally.Offered, day.Tally.Answered, day.Tally.AnsweredWithin(60)), (parts.Sum(p => p.Tally.Offered), parts.Sum(p => p.Tally.Answered), parts.Sum(p => p.Tally.AnsweredWithin(60))));
        });
        using var client = app.CreateClient();
        var figures = System.Text.Json.JsonSerializer.Deserialize<List<ChannelFigures>>(
            await client.GetStringAsync("/api/history/channels?from=2026-03-01&to=2026-04-01", Ct), WebJson)!;
        Assert.Equal(contacts.Count(c => c is { Channel: Channel.Phone, Queue: "aldre-direkt" }), figures.Single(f => f is { Queue: "aldre-direkt", Channel: "phone" }).Offered);

        // A database tallied before channels were: its channel days are added at start, its other tallies left as they are.
        await app.WithDbAsync(db => db.ContactTallies.Where(t => t.Span == TallySpan.ChannelDay).ExecuteDeleteAsync(Ct), Ct);
        var others = await TalliesAsync(app);
        var verifier = app.Services.GetRequiredService<HistoryVerifier>();
        Assert.Contains((await verifier.VerifyAsync(march, Ct)).Mismatches, m => m.Span == "channel_day");

        Assert.Equal(contacts.Count, await verifier.DeriveIfNoneStoredAsync(Ct));
        Assert.True((await verifier.VerifyAsync(march, Ct)).Consistent);
        Assert.Equal(channels, await history.ReadChannelDaysAsync(march, april, Ct), new ChannelDayComparer());
        Assert.StartsWith(others, await TalliesAsync(app), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DatabaseWithFactsButNoTallies_DerivesThemFromTheFacts()
    {
        var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = _folder };
        string derivedOnImport;
        await using (var first = IngestionTestHost.Create(settings, time: TestClock.Frozen(InApril)))
        {
            Assert.True((await first.ImportTextAsync(Web.Sources.Ingestion.IngestKind.Contacts, Csv(March()), Ct)).Committed);
            derivedOnImport = await TalliesAsync(first);
            // As a database written before tallies existed: facts, and no tallies.
            await first.WithDbAsync(db => db.ContactTallies.ExecuteDeleteAsync(Ct), Ct);
        }

        await using var second = IngestionTestHost.Create(settings, time: TestClock.Frozen(InApril));
        _ = second.Server;

        Assert.Equal(derivedOnImport, await TalliesAsync(second));
    }

    [Fact]
    public async Task Verify_ATallyChangedBehindTheFactsBack_IsNamedAndRebuildFromRepairsIt()
    {
        var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = _folder };
        await using (var app = IngestionTestHost.Create(settings, time: TestClock.Frozen(InApril)))
        {
            Assert.True((await app.ImportTextAsync(Web.Sources.Ingestion.IngestKind.Contacts, Csv(March()), Ct)).Committed);
            var day = StockholmTime.StartOfDayUtc(new DateOnly(2026, 3, 10)).ToUnixTimeMilliseconds();
            var wrong = new ContactTally();
            wrong.Add(March().First());
            await app.WithDbAsync(db => db.ContactTallies.Where(t => t.Span == TallySpan.Day && t.Queue == "aldre-direkt" && t.StartMs == day)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.Tally, ContactTallyCodec.Encode(wrong)), Ct), Ct);
        }

        var (refused, said) = await RunPrintedAsync("verify", "--from", "2026-03-01");
        var (rebuilt, _) = await RunPrintedAsync("rebuild", "--from", "2026-03-01");
        var (clean, saidAfter) = await RunPrintedAsync("verify", "--from", "2026-03-01");

        Assert.Equal((1, 0, 0), (refused, rebuilt, clean));
        Assert.Contains("1 tallies differ", said, StringComparison.Ordinal);
        Assert.Contains("day aldre-direkt 2026-03-09 23:00Z: offered 1 stored, 120 in the facts", said, StringComparison.Ordinal);
        Assert.Contains("Every tally matches its facts.", saidAfter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OnPostgres_TalliesMatchTheFactsAndTheReportEqualsSqlites()
    {
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        var text = Csv(March());
        await using var sqlite = IngestionTestHost.Create(new Dictionary<string, string?> { ["Storage:DataDirectory"] = _folder }, time: TestClock.Frozen(InApril));
        await using var pg = IngestionTestHost.Create(postgres: await postgres.CreateDatabaseAsync(), time: TestClock.Frozen(InApril));
        Assert.True((await sqlite.ImportTextAsync(Web.Sources.Ingestion.IngestKind.Contacts, text, Ct)).Committed);
        Assert.True((await pg.ImportTextAsync(Web.Sources.Ingestion.IngestKind.Contacts, text, Ct)).Committed);

        Assert.True((await pg.Services.GetRequiredService<HistoryVerifier>().VerifyAsync(new DateOnly(2026, 3, 1), Ct)).Consistent);
        Assert.Equal(await TalliesAsync(sqlite), await TalliesAsync(pg));
        using var a = sqlite.CreateClient();
        using var b = pg.CreateClient();
        Assert.Equal(await a.GetStringAsync("/api/reports/monthly/2026/3?format=json", Ct), await b.GetStringAsync("/api/reports/monthly/2026/3?format=json", Ct));
    }

    /// <summary>March 2026: each day, 120 calls to each of two queues, waits 0–119 s, every tenth caller giving up after 50 s.</summary>
    private static IEnumerable<ContactRecord> March() => Month(new DateOnly(2026, 3, 1), "m");

    private static IEnumerable<ContactRecord> April() => Month(new DateOnly(2026, 4, 1), "a").Take(PerDay);

    private static IEnumerable<ContactRecord> Month(DateOnly first, string prefix)
    {
        for (var d = first; d.Month == first.Month; d = d.AddDays(1))
        {
            foreach (var queue in new[] { "kc-stockholm", "aldre-direkt" })
            {
                var opens = StockholmTime.StartOfDayUtc(d).AddHours(8);
                for (var i = 0; i < PerDay; i++)
                {
                    var offered = opens.AddMinutes(4 * i);
                    var id = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{queue}-{d:yyyyMMdd}-{i}");
                    yield return i % 10 == 9
                        ? new ContactRecord(id, Channel.Phone, queue, offered, null, offered.AddSeconds(50), offered.AddSeconds(50), null)
                        : new ContactRecord(id, Channel.Phone, queue, offered, offered.AddSeconds(i), null, offered.AddSeconds(i + 180), i % 3 != 0);
                }
            }
        }
    }

    /// <summary>The service level's parts counted straight from the records: answered within 60 s, answered, abandoned.</summary>
    private static (long Within60, long Answered, long Abandoned) Expected(IEnumerable<ContactRecord> contacts)
    {
        var all = contacts.ToList();
        return (all.LongCount(c => c.AnsweredAt is { } a && a - c.OfferedAt <= TimeSpan.FromSeconds(60)),
                all.LongCount(c => c.AnsweredAt is not null),
                all.LongCount(c => c.AbandonedAt is not null));
    }

    private sealed class ChannelDayComparer : IEqualityComparer<ChannelDayTally>
    {
        public bool Equals(ChannelDayTally? x, ChannelDayTally? y) =>
            x is not null && y is not null && (x.Queue, x.Channel, x.Date) == (y.Queue, y.Channel, y.Date) && HistoryVerifier.Difference(x.Tally, y.Tally) is null;

        public int GetHashCode(ChannelDayTally obj) => HashCode.Combine(obj.Queue, obj.Channel, obj.Date);
    }

    private static string Csv(IEnumerable<ContactRecord> contacts)
    {
        static string At(DateTimeOffset? t) => t is { } v ? v.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture) : "";
        var sb = new StringBuilder("contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact\n");
        foreach (var c in contacts)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{c.ContactId},{c.Channel.ToString().ToLowerInvariant()},{c.Queue},{At(c.OfferedAt)},{At(c.AnsweredAt)},{At(c.AbandonedAt)},{At(c.EndedAt)},{(c.ResolvedFirstContact is { } r ? (r ? "true" : "false") : "")}\n");
        }

        return sb.ToString();
    }

    private static double KcRow(string json, string kpi) =>
        JsonReportWriter.Deserialize(json).Divisions.Single(d => d.Id == "kontaktcenter").Rows.Single(r => r.KpiId == kpi).Value!.Value;

    /// <summary>Every stored tally, in key order, as text: equal when the tables hold the same figures.</summary>
    private static Task<string> TalliesAsync(DriftvyAppFactory app) =>
        app.WithDbAsync(async db => string.Join('\n', (await db.ContactTallies.ToListAsync(Ct))
            .OrderBy(t => t.Span).ThenBy(t => t.Queue, StringComparer.Ordinal).ThenBy(t => t.StartMs)
            .Select(t => $"{t.Span} {t.Queue} {t.StartMs} {Convert.ToHexString(t.Tally)}")), Ct);

    private static async Task<long> DayOffered(DriftvyAppFactory app, string queue) =>
        (await app.Services.GetRequiredService<IContactHistory>().ReadDaysAsync(new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 1), Ct))
            .Where(d => d.Queue == queue).Sum(d => d.Tally.Offered);

    private Task<int> RunAsync(params string[] args) =>
        CliHost.RunAsync(args, new Dictionary<string, string?> { ["Storage:DataDirectory"] = _folder }, TestClock.Frozen(InApril), Quiet());

    private async Task<(int Exit, string Printed)> RunPrintedAsync(params string[] args)
    {
        using var printed = new StringWriter();
        var exit = await CliHost.RunAsync(args, new Dictionary<string, string?> { ["Storage:DataDirectory"] = _folder }, TestClock.Frozen(InApril), Quiet(printed));
        return (exit, printed.ToString());
    }

    private static IAnsiConsole Quiet(TextWriter? into = null)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(into ?? TextWriter.Null),
        });
        console.Profile.Width = 400;
        return console;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
