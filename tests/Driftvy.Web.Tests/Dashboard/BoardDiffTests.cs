using System.Text.Json;
using System.Text.Json.Nodes;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Dashboard;

/// <summary>The change between two pushes of a board, from the golden snapshots: what it carries, and when it must not be sent.</summary>
public sealed class BoardDiffTests
{
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    private static BoardSnapshot Golden()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Dashboard", "Golden", "board-snapshots.jsonl");
        var line = File.ReadLines(path).First(l => l.Contains("\"kontaktcenter\"", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<BoardSnapshot>(line, Wire)!;
    }

    private static BoardSnapshot Pushed(BoardSnapshot s, long seq) => s with { Seq = seq, Versions = BoardDiff.Versions(s.Tiles, Wire) };

    private static BoardSnapshot Moved(BoardSnapshot s)
    {
        var tiles = s.Tiles.ToList();
        var i = tiles.FindIndex(t => t.Intraday.Count > 2);
        var t = tiles[i];
        var points = t.Intraday.ToList();
        points[^2] = points[^2] with { Offered = (points[^2].Offered ?? 0) + 3 };
        tiles[i] = t with { Waiting = (t.Waiting ?? 0) + 1, DataAsOf = t.DataAsOf?.AddSeconds(1), Intraday = points };
        return s with { Tiles = tiles, GeneratedAt = s.GeneratedAt.AddSeconds(1) };
    }

    [Fact]
    public void Between_ConsecutivePushes_OnlyTheMovedFieldsAndTheChartFromItsFirstMovedPoint()
    {
        var before = Pushed(Golden(), 41);
        var after = Pushed(Moved(before), 42);

        var change = BoardDiff.Between(PushedBoard.Of(before, Wire), PushedBoard.Of(after, Wire));

        Assert.NotNull(change);
        Assert.Equal((42L, 41L), (change.Seq, change.BaseSeq));
        var moved = Assert.Single(change.Tiles);
        Assert.Equal(["dataAsOf", "waiting"], moved.Set.Select(p => p.Key).Order(StringComparer.Ordinal));
        var chart = after.Tiles.Single(t => t.Id == moved.Id).Intraday;
        Assert.Equal(chart.Count - 2, moved.IntradayFrom);
        Assert.Equal(chart.Skip(chart.Count - 2), moved.Intraday!);
        Assert.Equal(after.Versions, change.Versions);

        // The screen's copy of the first push, with the change applied, is the second push field for field.
        var applied = BoardFeed.Apply(before, change);
        Assert.Equal(JsonSerializer.Serialize(after, Wire), JsonSerializer.Serialize(applied, Wire));
        Assert.True(JsonSerializer.SerializeToUtf8Bytes(change, Wire).Length * 10 < JsonSerializer.SerializeToUtf8Bytes(after, Wire).Length);
    }

    [Fact]
    public void Between_PushesNotConsecutive_Null()
    {
        var before = Pushed(Golden(), 41);
        Assert.Null(BoardDiff.Between(PushedBoard.Of(before, Wire), PushedBoard.Of(Pushed(Moved(before), 43), Wire)));
        Assert.Null(BoardDiff.Between(PushedBoard.Of(before, Wire), PushedBoard.Of(Pushed(Moved(before), 1), Wire)));
    }

    [Fact]
    public void Between_PageOrTileSetMoved_Null()
    {
        var before = Pushed(Golden(), 41);
        var retitled = before with { Seq = 42, Pages = [.. before.Pages.Select(p => p with { Title = p.Title + " (ny)" })] };
        var fewer = Pushed(before with { Tiles = before.Tiles.Skip(1).ToList() }, 42);

        Assert.Null(BoardDiff.Between(PushedBoard.Of(before, Wire), PushedBoard.Of(retitled, Wire)));
        Assert.Null(BoardDiff.Between(PushedBoard.Of(before, Wire), PushedBoard.Of(fewer, Wire)));
    }

    [Fact]
    public void Apply_ChangeOnTopOfAnotherVersion_DoesNotFit()
    {
        var before = Pushed(Golden(), 41);
        var after = Pushed(Moved(before), 42);
        var change = BoardDiff.Between(PushedBoard.Of(before, Wire), PushedBoard.Of(after, Wire))!;
        var elsewhere = Pushed(Moved(Moved(before)), 41);

        Assert.Null(BoardFeed.Apply(elsewhere, change));
        Assert.Same(after, BoardFeed.Apply(after, change));
        Assert.IsType<JsonObject>(change.Tiles[0].Set);
    }
}
