using System.Text;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary>The import service on the default SQLite store: formats, idempotency, all-or-nothing, late records.</summary>
public sealed class ImportServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 08:00 UTC on the day the host's clock is pinned to.
    private static DateTimeOffset Today => TestClock.OrdinaryMorning.AddMinutes(-30);

    [Fact]
    public async Task ImportAsync_SameContactsTwice_CountsOnceAndFoldsOnce()
    {
        await using var app = IngestionTestHost.Create();
        var csv = IngestionTestHost.ContactsCsv(50, Today);

        var first = await app.ImportTextAsync(IngestKind.Contacts, csv, Ct);
        var second = await app.ImportTextAsync(IngestKind.Contacts, csv, Ct);

        Assert.True(first.Committed);
        Assert.Equal((50, 50, 0), (first.Rows, first.Accepted, first.Duplicates));
        Assert.Equal((50, 0, 50), (second.Rows, second.Accepted, second.Duplicates));
        var store = app.Services.GetRequiredService<IAggregateStore>();
        var tally = (await store.ReadTalliesAsync([BucketKey.For("kc-stockholm", Granularity.Day, Today)], Ct))[0];
        Assert.Equal(50, tally.Offered);
        Assert.Equal(50, await app.WithDbAsync(db => db.Contacts.CountAsync(Ct), Ct));
    }

    [Fact]
    public async Task ImportAsync_FoldedAfterAnUnfoldedImport_TheEarlierFactsAreFoldedToo()
    {
        await using var app = IngestionTestHost.Create();
        var imports = app.Imports();
        var fromCommandLine = Encoding.UTF8.GetBytes(IngestionTestHost.ContactsCsv(300, Today, "cli-"));
        var fromDropFolder = Encoding.UTF8.GetBytes(IngestionTestHost.ContactsCsv(200, Today, "drop-"));

        // As `driftvy import` stores from another process: facts only, folded at the host's next catch-up.
        await imports.ImportAsync(new ImportRequest(IngestKind.Contacts, "cli", "a.csv") { Fold = false }, fromCommandLine, null, Ct);
        await imports.ImportAsync(new ImportRequest(IngestKind.Contacts, "drop", "b.csv"), fromDropFolder, null, Ct);

        var store = app.Services.GetRequiredService<IAggregateStore>();
        var tally = (await store.ReadTalliesAsync([BucketKey.For("kc-stockholm", Granularity.Day, Today)], Ct))[0];
        Assert.Equal(500, tally.Offered);
        Assert.Equal(await app.WithDbAsync(db => db.Contacts.MaxAsync(c => c.Seq, Ct), Ct), await store.ReadWatermarkAsync(Ct));
    }

    [Fact]
    public async Task ImportAsync_SemicolonsAndByteOrderMark_AcceptedLikeExcelWritesThem()
    {
        await using var app = IngestionTestHost.Create();
        var csv = "\uFEFFmonth;team;fte\r\n2026-10;lr;\"12,5\"\r\n2026-10;kr;8\r\n";

        var result = await app.ImportTextAsync(IngestKind.Staffing, csv, Ct);

        Assert.True(result.Committed, string.Join("; ", result.Errors));
        Assert.Equal(2, result.Accepted);
        var fte = await app.WithDbAsync(db => db.Staffing.SingleAsync(s => s.Team == "lr", Ct), Ct);
        Assert.Equal(12.5m, fte.Fte);
    }

    [Fact]
    public async Task ImportAsync_JsonCases_StoredLikeCsv()
    {
        await using var app = IngestionTestHost.Create();
        var json = """
            [
              { "case_id": "LR-1001", "team": "lr", "kind": "supplier_query", "opened_at": "2026-11-02T09:15:00+01:00", "closed_at": null, "promised_days": 5 },
              { "case_id": "LR-1002", "team": "lr", "kind": "supplier_query", "opened_at": "2026-11-02T10:00:00+01:00", "closed_at": "2026-11-04T14:00:00+01:00", "promised_days": "5" }
            ]
            """;

        var result = await app.ImportTextAsync(IngestKind.Cases, json, Ct);

        Assert.True(result.Committed, string.Join("; ", result.Errors));
        Assert.Equal(2, result.Accepted);
        var closed = await app.WithDbAsync(db => db.Cases.SingleAsync(c => c.CaseId == "LR-1002", Ct), Ct);
        Assert.Equal(DateTimeOffset.Parse("2026-11-04T13:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), closed.ClosedAtMs);
    }

    public static TheoryData<string, string, int, string?, string> BadInputs => new()
    {
        // kind, content, line, column, part of the reason
        { "contacts", "contact_id,channel,queue_id,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact\n", 1, "queue_id", "unexpected column" },
        { "contacts", "contact_id,channel,queue,offered_at,answered_at,abandoned_at,resolved_first_contact\nx,phone,kc-stockholm,2026-11-02T09:00:00+01:00,,,\n", 1, "ended_at", "missing column" },
        { "contacts", Header + "c1,phone,kc-stockholm,2026-11-02T09:00:00+01:00,,,,\nc2,phone,kc-stockholm,2026-13-45T09:00:00+01:00,,,,\n", 3, "offered_at", "not a valid date" },
        { "contacts", Header + "c1,phone,kc-stockholm,2026-11-02T09:00:00+01:00,2026-11-02T09:01:00,,,\n", 2, "answered_at", "no UTC offset" },
        { "contacts", Header + "c1,phone,kc-stockholm,2026-11-02T09:00:00+01:00,2026-11-02T08:59:00+01:00,,,\n", 2, "answered_at", "answered before it was offered" },
        { "contacts", Header + "c1,fax,kc-stockholm,2026-11-02T09:00:00+01:00,,,,\n", 2, "channel", "not a channel" },
        { "contacts", Header + "c1,phone,kc-goteborg,2026-11-02T09:00:00+01:00,,,,\n", 2, "queue", "unknown queue 'kc-goteborg'" },
        { "contacts", Header + "c1,phone,kc-stockholm,2026-11-02T09:00:00+01:00,,,,maybe\n", 2, "resolved_first_contact", "true, false or empty" },
        { "volumes", "date,team,kind,count\n2026-11-02,lr,supplier_invoice,-5\n", 2, "count", "negative count" },
        { "volumes", "date,team,kind,count\n2026-11-02,lr,supplier_invoice,=1+2\n", 2, "count", "not a whole number" },
        { "volumes", "date,team,kind,count\n2026-11-02,lr,supplier_invoice,12.5\n", 2, "count", "not a whole number" },
        { "volumes", "date,team,kind,count\n02/11/2026,lr,supplier_invoice,12\n", 2, "date", "not a date" },
        { "volumes", "date,team,kind,count\n2026-11-02,hr,supplier_invoice,12\n", 2, "team", "unknown team 'hr'" },
        { "volumes", "date,team,kind,count\n2026-11-02,lr,supplier_invoice,12\n2026-11-02,lr,supplier_invoice,13\n", 3, "date", "already appears on line 2" },
        { "staffing", "month,team,fte\n2026-13,lr,12\n", 2, "month", "not a month" },
        { "staffing", "month,team,fte\n2026-10,lr,-1\n", 2, "fte", "negative FTE" },
        { "cases", "case_id,team,kind,opened_at,closed_at,promised_days\nk1,lr,q,2026-11-02T09:00:00+01:00,2026-11-01T09:00:00+01:00,5\n", 2, "closed_at", "closed before it was opened" },
        { "cases", "case_id,team,kind,opened_at,closed_at,promised_days\nk1,lr,q,2026-11-02T09:00:00+01:00,,fem\n", 2, "promised_days", "not a whole number" },
        { "snapshots", "at,queue,waiting,longest_wait_s,agents_available,agents_busy,agents_away\n2026-11-02T09:00:00+01:00,kc-stockholm,-1,0,1,1,1\n", 2, "waiting", "negative" },
        { "contacts", Header + "c1,phone,kc-stockholm,2026-11-02T09:00:00+01:00,,\n", 2, null, "expected 8 values" },
        { "contacts", Header + "\"c1,phone,kc-stockholm,2026-11-02T09:00:00+01:00,,,,\n", 2, null, "never closed" },
        { "contacts", "", 1, null, "empty" },
        { "cases", "[{\"case_id\": \"k1\", \"team\": \"lr\", \"kind\": \"q\", \"opened_at\": \"2026-11-02T09:00:00+01:00\", \"closed_at\": null, \"promised_days\": 5, \"owner\": \"x\"}]", 1, "owner", "unexpected field" },
        { "cases", "[{\"case_id\": \"k1\",\n \"team\": }]", 2, null, "not valid JSON" },
    };

    private const string Header = "contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact\n";

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task ImportAsync_BadInput_RefusedWithLineColumnReasonAndDatabaseUnchanged(string kind, string content, int line, string? column, string reason)
    {
        await using var app = IngestionTestHost.Create();
        Assert.True(IngestKinds.TryParse(kind, out var ingestKind));
        var before = await app.TableCountsAsync(Ct);

        var result = await app.ImportTextAsync(ingestKind, content, Ct);

        Assert.False(result.Committed);
        Assert.Equal(0, result.Accepted);
        Assert.Contains(result.Errors, e => e.Line == line && e.Column == column && e.Reason.Contains(reason, StringComparison.Ordinal));
        Assert.Equal(before, await app.TableCountsAsync(Ct));
    }

    [Fact]
    public async Task ImportAsync_NonUtf8Bytes_RefusedNamingTheLine()
    {
        await using var app = IngestionTestHost.Create();
        var bytes = Encoding.UTF8.GetBytes("date,team,kind,count\n2026-11-02,lr,supplier_invoice,12\n2026-11-03,lr,").Concat(new byte[] { 0xE5, 0x0A }).ToArray();

        var result = await app.Imports().ImportAsync(new ImportRequest(IngestKind.Volumes, "test", "latin1.csv"), bytes, null, Ct);

        Assert.False(result.Committed);
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("not valid UTF-8", error.Reason, StringComparison.Ordinal);
        Assert.Equal("0,0,0,0,0,0,0,0,0", await app.TableCountsAsync(Ct));
    }

    [Fact]
    public async Task ImportAsync_OverSizeLimit_RefusedAndDatabaseUnchanged()
    {
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Ingestion:MaxFileBytes"] = "1000" });
        var csv = IngestionTestHost.ContactsCsv(100, Today);

        var result = await app.Imports().ImportAsync(new ImportRequest(IngestKind.Contacts, "test", "big.csv"), new MemoryStream(Encoding.UTF8.GetBytes(csv)), null, Ct);

        Assert.False(result.Committed);
        Assert.Contains("larger than the limit", Assert.Single(result.Errors).Reason, StringComparison.Ordinal);
        Assert.Equal("0,0,0,0,0,0,0,0,0", await app.TableCountsAsync(Ct));
    }

    [Fact]
    public async Task ImportAsync_SeveralBadRowsAmongGood_NothingCommittedAndEveryErrorListed()
    {
        await using var app = IngestionTestHost.Create();
        var csv = Header
            + "c1,phone,kc-stockholm,2026-11-02T09:00:00+01:00,2026-11-02T09:00:30+01:00,,2026-11-02T09:04:00+01:00,true\n"
            + "c2,phone,kc-stockholm,2026-11-02T09:00:00,,,,\n"
            + "c3,phone,kc-stockholm,2026-11-02T09:01:00+01:00,,2026-11-02T09:02:00+01:00,,\n"
            + "c4,mail,nowhere,2026-11-02T09:00:00+01:00,,,,\n";

        var result = await app.ImportTextAsync(IngestKind.Contacts, csv, Ct);

        Assert.False(result.Committed);
        Assert.Equal((4, 4), (result.Rows, result.Rejected));
        Assert.Equal(["line 3, column offered_at", "line 5, column channel", "line 5, column queue"], result.Errors.Select(e => $"line {e.Line}, column {e.Column}"));
        Assert.Equal("0,0,0,0,0,0,0,0,0", await app.TableCountsAsync(Ct));
    }

    [Fact]
    public async Task ImportAsync_FormulaLikeText_IsStoredVerbatim()
    {
        await using var app = IngestionTestHost.Create();
        var csv = "case_id,team,kind,opened_at,closed_at,promised_days\n@SUM(A1),lr,\"=HYPERLINK(\"\"http://x\"\")\",2026-11-02T09:00:00+01:00,,\n-1,kr,+46,2026-11-02T09:00:00+01:00,,\n";

        var result = await app.ImportTextAsync(IngestKind.Cases, csv, Ct);

        Assert.True(result.Committed, string.Join("; ", result.Errors));
        var stored = await app.WithDbAsync(db => db.Cases.OrderBy(c => c.CaseId).ToListAsync(Ct), Ct);
        Assert.Equal(["-1", "@SUM(A1)"], stored.Select(c => c.CaseId));
        Assert.Equal(["+46", "=HYPERLINK(\"http://x\")"], stored.Select(c => c.Kind));
    }

    [Fact]
    public async Task AlarmLogCsv_FormulaLikeNameAndComment_AreEscapedInTheExport()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Imports();
        var incident = new Driftvy.Web.Alerts.AlertIncident
        {
            Id = Guid.NewGuid(),
            Rule = new Driftvy.Web.Alerts.AlertRule
            {
                Id = "formula", Name = "=HYPERLINK(\"http://x\")", Measure = Driftvy.Web.Alerts.AlertMeasure.Waiting, Queue = "kc-stockholm",
                Condition = Driftvy.Web.Alerts.AlertCondition.Above, Threshold = 8, Severity = Driftvy.Web.Alerts.AlertSeverity.Warning, Channels = [],
            },
            FiredAt = TestClock.OrdinaryMorning,
            AcknowledgedAt = TestClock.OrdinaryMorning.AddMinutes(2),
            AcknowledgedBy = "teamledare",
            AcknowledgeComment = "@SUM(A1) -1 ringt tillbaka",
        };
        await app.Services.GetRequiredService<Driftvy.Web.Alerts.IAlertLog>().SaveAsync(incident, Ct);
        using var client = app.CreateClient();

        var csv = await client.GetStringAsync("/api/alerts/log?format=csv", Ct);

        var row = csv.Split('\n')[1];
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", row, StringComparison.Ordinal);
        Assert.Contains("\"'@SUM(A1) -1 ringt tillbaka\"", row, StringComparison.Ordinal);
        Assert.Contains("\"teamledare\"", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_CancelledHalfway_NothingStoredAndRerunCountsExactly()
    {
        await using var app = IngestionTestHost.Create();
        var csv = Encoding.UTF8.GetBytes(IngestionTestHost.ContactsCsv(40_000, Today.AddDays(-1)));
        var imports = app.Imports();
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var halfway = new InlineProgress(p =>
        {
            if (p.Phase == "store" && p.Done >= 20_000)
            {
                kill.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => imports.ImportAsync(new ImportRequest(IngestKind.Contacts, "test", "big.csv"), csv, halfway, kill.Token));
        Assert.Equal("0,0,0,0,0,0,0,0,0", await app.TableCountsAsync(Ct));

        var rerun = await imports.ImportAsync(new ImportRequest(IngestKind.Contacts, "test", "big.csv"), csv, null, Ct);
        var again = await imports.ImportAsync(new ImportRequest(IngestKind.Contacts, "test", "big.csv"), csv, null, Ct);

        Assert.Equal((40_000, 0), (rerun.Accepted, rerun.Duplicates));
        Assert.Equal((0, 40_000), (again.Accepted, again.Duplicates));
        Assert.Equal(40_000, await app.OfferedOnAsync("kc-stockholm", Today.AddDays(-1), Ct));
    }

    [Fact]
    public async Task ImportAsync_LateAndOutOfOrderContacts_LandInTheDayTheyWereOffered()
    {
        await using var app = IngestionTestHost.Create();
        var store = app.Services.GetRequiredService<IAggregateStore>();
        await app.ImportTextAsync(IngestKind.Contacts, IngestionTestHost.ContactsCsv(10, Today, "today-"), Ct);

        var late = await app.ImportTextAsync(IngestKind.Contacts, IngestionTestHost.ContactsCsv(3, Today.AddDays(-3), "late-"), Ct);

        Assert.Equal(3, late.Accepted);
        // Today is on the screens (the hot store); the late day is in the durable history, where reports read it.
        var today = (await store.ReadTalliesAsync([BucketKey.For("kc-stockholm", Granularity.Day, Today)], Ct))[0];
        Assert.Equal(10, today.Offered);
        Assert.Equal(3, await app.OfferedOnAsync("kc-stockholm", Today.AddDays(-3), Ct));
    }

    [Fact]
    public async Task ImportAsync_ChangedVolume_LastWriteWinsAndIsAudited()
    {
        await using var app = IngestionTestHost.Create();
        await app.ImportTextAsync(IngestKind.Volumes, "date,team,kind,count\n2026-11-02,lr,supplier_invoice,410\n2026-11-02,lr,reminder,9\n", Ct);

        var second = await app.ImportTextAsync(IngestKind.Volumes, "date,team,kind,count\n2026-11-02,lr,supplier_invoice,432\n2026-11-02,lr,reminder,9\n2026-10-30,lr,reminder,7\n", Ct);

        Assert.Equal((1, 1, 1), (second.Accepted, second.Updated, second.Duplicates));
        var volume = await app.WithDbAsync(db => db.Volumes.SingleAsync(v => v.Kind == "supplier_invoice", Ct), Ct);
        Assert.Equal(432, volume.Count);
        var audit = await app.WithDbAsync(db => db.IngestAudit.SingleAsync(Ct), Ct);
        Assert.Equal(("volume", "2026-11-02/lr/supplier_invoice", "410", "432"), (audit.Entity, audit.EntityKey, audit.OldValue, audit.NewValue));
        Assert.Equal(second.BatchId, audit.BatchId);
    }

    [Fact]
    public async Task ImportAsync_CaseClosedLater_UpdatesTheCaseWithAudit()
    {
        await using var app = IngestionTestHost.Create();
        const string header = "case_id,team,kind,opened_at,closed_at,promised_days\n";
        await app.ImportTextAsync(IngestKind.Cases, header + "KR-7,kr,refund,2026-11-02T09:00:00+01:00,,10\n", Ct);

        var again = await app.ImportTextAsync(IngestKind.Cases, header + "KR-7,kr,refund,2026-11-02T09:00:00+01:00,,10\n", Ct);
        var closed = await app.ImportTextAsync(IngestKind.Cases, header + "KR-7,kr,refund,2026-11-02T09:00:00+01:00,2026-11-05T15:00:00+01:00,10\n", Ct);

        Assert.Equal((0, 0, 1), (again.Accepted, again.Updated, again.Duplicates));
        Assert.Equal((0, 1, 0), (closed.Accepted, closed.Updated, closed.Duplicates));
        Assert.NotNull((await app.WithDbAsync(db => db.Cases.SingleAsync(Ct), Ct)).ClosedAtMs);
        Assert.Equal(1, await app.WithDbAsync(db => db.IngestAudit.CountAsync(Ct), Ct));
    }

    [Fact]
    public async Task ImportAsync_UnknownQueueWithRegisterPolicy_AcceptedAndRegistered()
    {
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Ingestion:UnknownUnits"] = "Register" });
        var csv = Header + "c1,phone,stockholm-direkt,2026-11-02T09:00:00+01:00,,2026-11-02T09:03:00+01:00,,\n";

        var result = await app.ImportTextAsync(IngestKind.Contacts, csv, Ct);
        var bad = await app.ImportTextAsync(IngestKind.Contacts, Header + "c2,phone,Stockholm Direkt,2026-11-02T09:00:00+01:00,,,,\n", Ct);

        Assert.True(result.Committed, string.Join("; ", result.Errors));
        var unit = await app.WithDbAsync(db => db.RegisteredUnits.SingleAsync(Ct), Ct);
        Assert.Equal(("queue", "stockholm-direkt"), (unit.UnitKind, unit.UnitId));
        Assert.False(bad.Committed);
        Assert.Contains("cannot be registered", bad.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_CallerColumn_KeepsOnlyHashAndMask()
    {
        await using var app = IngestionTestHost.Create();
        var csv = "contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact,caller\n"
            + "c1,phone,aldre-direkt,2026-11-02T09:00:00+01:00,2026-11-02T09:00:40+01:00,,2026-11-02T09:06:00+01:00,false,070-123 45 67\n";

        await app.ImportTextAsync(IngestKind.Contacts, csv, Ct);

        var fact = await app.WithDbAsync(db => db.Contacts.SingleAsync(Ct), Ct);
        Assert.Equal("070-*** ** 67", fact.CallerMasked);
        Assert.Equal(64, fact.CallerHash!.Length);
    }

    [Fact]
    public async Task ImportAsync_Snapshots_IdempotentAndOnlyNewerOnesShown()
    {
        await using var app = IngestionTestHost.Create();
        const string header = "at,queue,waiting,longest_wait_s,agents_available,agents_busy,agents_away\n";
        var csv = header + "2026-11-02T09:00:00+01:00,kc-stockholm,4,95,2,11,3\n2026-11-02T09:00:15+01:00,kc-stockholm,6,110,1,12,3\n";

        var first = await app.ImportTextAsync(IngestKind.Snapshots, csv, Ct);
        var again = await app.ImportTextAsync(IngestKind.Snapshots, csv, Ct);
        await app.ImportTextAsync(IngestKind.Snapshots, header + "2026-11-02T08:00:00+01:00,kc-stockholm,1,5,9,1,0\n", Ct);

        Assert.Equal((2, 0), (first.Accepted, first.Duplicates));
        Assert.Equal((0, 2), (again.Accepted, again.Duplicates));
        var shown = (await app.Services.GetRequiredService<IAggregateStore>().ReadSnapshotsAsync(["kc-stockholm"], Ct))[0];
        Assert.Equal(6, shown!.Waiting);
    }

    [Fact]
    public async Task ImportAsync_AcceptedAndRejected_ReportedInSourceHealth()
    {
        await using var app = IngestionTestHost.Create();
        // The error text is for admins; anyone else sees the counts.
        using var client = await app.CreateClientAsAsync(Driftvy.Web.Security.Roles.Admin);
        await app.ImportTextAsync(IngestKind.Contacts, IngestionTestHost.ContactsCsv(5, Today), Ct, source: "telia-ace");
        await app.ImportTextAsync(IngestKind.Contacts, Header + "x,phone,nowhere,2026-11-02T09:00:00+01:00,,,,\n", Ct, source: "telia-ace");

        var health = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(client, "/health", Ct);

        var source = health.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString() == "telia-ace");
        Assert.Equal(5, source.GetProperty("rowsAcceptedToday").GetInt64());
        Assert.Equal(1, source.GetProperty("rowsRejectedToday").GetInt64());
        Assert.Contains("unknown queue", source.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.True(source.GetProperty("lagSeconds").GetDouble() >= 0);
    }
}
