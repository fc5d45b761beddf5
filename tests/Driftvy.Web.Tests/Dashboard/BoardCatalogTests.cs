using System.Net;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Kpis;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Dashboard;

public sealed class BoardCatalogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("driftvy-boards-").FullName;

    [Fact]
    public void Load_ShippedBoards_AllParse()
    {
        var catalog = BoardCatalog.Load(Path.Combine(AppContext.BaseDirectory, "dashboards"), "kontaktcenter");

        Assert.NotNull(catalog.Find("kontaktcenter"));
        Assert.All(catalog.All, b => Assert.NotEmpty(b.Tiles));
    }

    [Theory]
    [InlineData("""{ "title": "x", "tiles": [ { "queue": "q", "kpi": "k" } ] }""", "id")]
    [InlineData("""{ "id": "b", "title": "x", "tiles": [] }""", "tiles")]
    [InlineData("""{ "id": "b", "title": "x", "tiles": [ { "queue": "q" } ] }""", "tiles[0].kpi")]
    [InlineData("""{ "id": "b", "title": 5, "tiles": [ { "queue": "q", "kpi": "k" } ] }""", "title")]
    [InlineData("""{ "id": "b", "title": "x", "tiles": [ { "queue": "q", "kpi": "k" } """, "line")]
    public void Load_MalformedBoard_NamesTheFileAndField(string json, string field)
    {
        File.WriteAllText(Path.Combine(_folder, "broken.json"), json);

        var ex = Assert.Throws<BoardFileException>(() => BoardCatalog.Load(_folder, "b"));

        Assert.Equal("broken.json", ex.File);
        Assert.StartsWith(field, ex.Field, StringComparison.Ordinal);
        Assert.Contains("broken.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShippedBoards_EveryTileNamesAKpiThatCoversItsQueueOrTeam()
    {
        var kpis = KpiSetup.Load(Path.Combine(AppContext.BaseDirectory, "seed"));

        var catalog = BoardCatalog.Load(Path.Combine(AppContext.BaseDirectory, "dashboards"), "kontaktcenter", kpis.Catalog);

        string[] expected = ["aldre-direkt", "kontaktcenter", "kontaktcenter-stockholm", "ledning", "leverantorsreskontra", "lon-pension"];
        Assert.Equal(expected, catalog.All.Select(b => b.Id));
        Assert.Contains(catalog.All, b => b.Pages.Count > 1);
        Assert.Contains(catalog.All.SelectMany(b => b.Tiles), t => t.Team is not null);
        // The Kontaktcenter boards carry a staffing tile, which is not a KPI tile and has no chart.
        var staffing = Assert.Single(catalog.Find("kontaktcenter-stockholm")!.Tiles, t => t.Staffing);
        Assert.Equal("kc-stockholm", staffing.Queue);
        Assert.False(staffing.IsQueueTile);
        Assert.False(staffing.Chart);
        Assert.Single(catalog.Find("aldre-direkt")!.Tiles, t => t.Staffing);
    }

    [Theory]
    [InlineData("""{ "id": "b", "title": "x", "tiles": [ { "queue": "kc-stockholm", "kpi": "no_such_kpi" } ] }""", "tiles[0].kpi")]
    [InlineData("""{ "id": "b", "title": "x", "tiles": [ { "queue": "lon-pension", "kpi": "kc_answered_within_1_min" } ] }""", "tiles[0].queue")]
    [InlineData("""{ "id": "b", "title": "x", "tiles": [ { "team": "lr", "kpi": "kc_answered_within_1_min" } ] }""", "tiles[0].kpi")]
    [InlineData("""{ "id": "b", "title": "x", "tiles": [ { "queue": "kc-stockholm", "kpi": "kc_answered_within_1_min", "window": "fortnight" } ] }""", "tiles[0].window")]
    [InlineData("""{ "id": "b", "title": "x", "pages": [ { "tiles": [ { "queue": "kc-stockholm", "kpi": "kc_answered_within_1_min" } ] }, { "rotation_seconds": 1, "tiles": [] } ] }""", "pages[1].rotation_seconds")]
    [InlineData("""{ "id": "b", "title": "x", "columns": 2, "tiles": [ { "queue": "kc-stockholm", "kpi": "kc_answered_within_1_min", "span": 3 } ] }""", "tiles[0].span")]
    [InlineData("""{ "id": "b", "title": "x", "tiles": [ { "kind": "staffing", "queue": "kc-stockholm", "kpi": "kc_abandonment_rate" } ] }""", "tiles[0].kpi")]
    [InlineData("""{ "id": "b", "title": "x", "tiles": [ { "kind": "staffing", "queue": "kc-stockholm", "kpi": "kc_answered_within_1_min", "window": "week" } ] }""", "tiles[0].window")]
    [InlineData("""{ "id": "b", "title": "x", "tiles": [ { "kind": "staffing", "queue": "kc-stockholm", "kpi": "kc_answered_within_1_min", "chart": true } ] }""", "tiles[0].chart")]
    [InlineData("""{ "id": "b", "title": "x", "tiles": [ { "kind": "staffing", "team": "lr", "kpi": "kc_answered_within_1_min" } ] }""", "tiles[0].kind")]
    [InlineData("""{ "id": "b", "title": "x", "tiles": [ { "kind": "gauge", "queue": "kc-stockholm", "kpi": "kc_answered_within_1_min" } ] }""", "tiles[0].kind")]
    public void Load_TileThatCannotWork_NamesTheFileAndField(string json, string field)
    {
        File.WriteAllText(Path.Combine(_folder, "broken.json"), json);
        var kpis = KpiSetup.Load(Path.Combine(AppContext.BaseDirectory, "seed"));

        var ex = Assert.Throws<BoardFileException>(() => BoardCatalog.Load(_folder, "b", kpis.Catalog));

        Assert.Equal("broken.json", ex.File);
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Reload_FileChangedThenBroken_TakesTheChangeThenKeepsTheLastGoodBoard()
    {
        var file = Path.Combine(_folder, "b.json");
        File.WriteAllText(file, """{ "id": "b", "title": "First", "tiles": [ { "queue": "q", "kpi": "k" } ] }""");
        var catalog = BoardCatalog.Load(_folder, "b");
        var changed = 0;
        catalog.Changed += (_, _) => changed++;

        File.WriteAllText(file, """{ "id": "b", "title": "Second", "tiles": [ { "queue": "q", "kpi": "k" }, { "queue": "r", "kpi": "k" } ] }""");
        Assert.Empty(catalog.Reload());
        Assert.Equal("Second", catalog.Find("b")!.Title);

        File.WriteAllText(file, """{ "id": "b", "title": "Third", "tiles": [ { "queue": "q" } ] }""");
        var rejected = Assert.Single(catalog.Reload());

        Assert.Equal(("b.json", "tiles[0].kpi"), (rejected.File, rejected.Field));
        Assert.Equal("Second", catalog.Find("b")!.Title);
        Assert.Equal(2, catalog.Find("b")!.Tiles.Count);
        Assert.Single(catalog.Rejected);
        Assert.Equal(2, changed);
    }

    [Fact]
    public async Task Watcher_BoardFileAdded_ServedWithoutRestart()
    {
        var ct = TestContext.Current.CancellationToken;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "dashboards", "kontaktcenter.json"), Path.Combine(_folder, "kontaktcenter.json"));
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Dashboards:Directory"] = _folder });
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/boards/extra/snapshot", ct)).StatusCode);
        var catalog = app.Services.GetRequiredService<BoardCatalog>();
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        catalog.Changed += (_, _) =>
        {
            if (catalog.Find("extra") is not null)
            {
                reloaded.TrySetResult();
            }
        };

        File.WriteAllText(Path.Combine(_folder, "extra.json"), """{ "id": "extra", "title": "Extra", "tiles": [ { "queue": "kc-stockholm", "kpi": "kc_answered_within_1_min" } ] }""");

        // The catalogue's own change event says when the watcher has reloaded; the deadline only bounds a busy machine
        // (the watcher waits for the file to settle on the host's clock, which runs in step with real time here).
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/boards/extra/snapshot", ct)).StatusCode);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
