using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Driftvy.Web.Aggregates;
using Driftvy.Web.History;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Aggregates;

/// <summary>
/// The hot store holds what screens show now (today and the last hour); a start or a flush refills that from the facts,
/// not weeks of them, and every window reaching further back reads the durable history.
/// </summary>
public sealed class HotStoreRefillTests
{
    // Thursday 15 October 2026, 10:30 in Stockholm.
    private static readonly DateTimeOffset Now = TestClock.OrdinaryMorning;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rebuild_AfterAFlush_RefoldsTodayOnlyAndMonthToDateStillCountsEveryDay()
    {
        await using var app = IngestionTestHost.Create(time: TestClock.Frozen(Now));
        var imports = app.Imports();
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        // 400 calls on 2 October (this month), 300 on 20 September (last month), 50 this morning.
        await app.ImportTextAsync(IngestKind.Contacts, IngestionTestHost.ContactsCsv(400, new DateTimeOffset(2026, 10, 2, 7, 0, 0, TimeSpan.Zero), "oct-"), Ct);
        await app.ImportTextAsync(IngestKind.Contacts, IngestionTestHost.ContactsCsv(300, new DateTimeOffset(2026, 9, 20, 7, 0, 0, TimeSpan.Zero), "sep-"), Ct);
        await app.ImportTextAsync(IngestKind.Contacts, IngestionTestHost.ContactsCsv(50, Now.AddMinutes(-30), "today-"), Ct);
        using var client = app.CreateClient();
        var before = await client.GetFromJsonAsync<List<WindowFigures>>("/api/aggregates/queues/kc-stockholm", Json, Ct);

        var store = app.Services.GetRequiredService<IAggregateStore>();
        await store.ClearAsync(Ct);
        var refolded = await app.Services.GetRequiredService<AggregateCatchUp>().RebuildAsync(Ct);
        var after = await client.GetFromJsonAsync<List<WindowFigures>>("/api/aggregates/queues/kc-stockholm", Json, Ct);

        Assert.Equal(50, refolded);
        Assert.Equal(await app.WithDbAsync(db => db.Contacts.MaxAsync(c => c.Seq, Ct), Ct), await store.ReadWatermarkAsync(Ct));
        Assert.Equal(before, after);
        Assert.Equal(50, after!.Single(w => w.Window == RollingWindow.Today).Offered);
        Assert.Equal(450, after!.Single(w => w.Window == RollingWindow.MonthToDate).Offered);
        Assert.Equal(50, after!.Single(w => w.Window == RollingWindow.Last60Minutes).Offered);
    }

    [Fact]
    public async Task Import_LastYearsFile_GoesToTheHistoryAndLeavesTheHotStoreAsItWas()
    {
        await using var app = IngestionTestHost.Create(time: TestClock.Frozen(Now));
        var imports = app.Imports();
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        await app.ImportTextAsync(IngestKind.Contacts, IngestionTestHost.ContactsCsv(20, Now.AddMinutes(-30), "today-"), Ct);

        var old = await app.ImportTextAsync(IngestKind.Contacts, IngestionTestHost.ContactsCsv(1_000, new DateTimeOffset(2025, 10, 15, 7, 0, 0, TimeSpan.Zero), "old-"), Ct);

        Assert.Equal(1_000, old.Accepted);
        Assert.Equal(1_000, await app.OfferedOnAsync("kc-stockholm", new DateTimeOffset(2025, 10, 15, 7, 0, 0, TimeSpan.Zero), Ct));
        var store = app.Services.GetRequiredService<IAggregateStore>();
        var lastYear = (await store.ReadTalliesAsync([BucketKey.For("kc-stockholm", Granularity.Day, new DateTimeOffset(2025, 10, 15, 7, 0, 0, TimeSpan.Zero))], Ct))[0];
        Assert.Equal(0, lastYear.Offered);
        // Accounted for all the same: the watermark is past the old facts, so health says every fact is folded.
        Assert.Equal(await app.WithDbAsync(db => db.Contacts.MaxAsync(c => c.Seq, Ct), Ct), await store.ReadWatermarkAsync(Ct));
    }
}
