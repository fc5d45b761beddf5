using Driftvy.Web.Dashboard.Boards;

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

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
