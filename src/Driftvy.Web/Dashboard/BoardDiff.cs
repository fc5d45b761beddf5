using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// Turns two successive pushes of a board into a <see cref="BoardChange"/>: the tiles whose version moved, with only
/// the fields that moved and the chart from its first changed point. A tile's version is a hash of its wire form, so
/// every instance gives the same tile the same version and a screen can tell whether a change fits what it shows.
/// </summary>
internal static class BoardDiff
{
    /// <summary>The tile's version: the first 8 bytes of the SHA-256 of its JSON, in hex.</summary>
    public static string Version(BoardTile tile, JsonSerializerOptions json) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(tile, json)).AsSpan(0, 8));

    public static Dictionary<string, string> Versions(IEnumerable<BoardTile> tiles, JsonSerializerOptions json) =>
        tiles.ToDictionary(t => t.Id, t => Version(t, json), StringComparer.Ordinal);

    /// <summary>
    /// The change from <paramref name="before"/> to <paramref name="after"/>, or null when the screens need the whole
    /// snapshot: the pushes are not consecutive (another instance pushed in between, or the counter started again), or
    /// what a change cannot carry moved (the board's titles, pages, tiles or store).
    /// </summary>
    public static BoardChange? Between(PushedBoard before, PushedBoard after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var (old, now) = (before.Snapshot, after.Snapshot);
        if (now.Seq != old.Seq + 1 || !string.Equals(before.Frame, after.Frame, StringComparison.Ordinal))
        {
            return null;
        }

        var changes = new List<TileChange>();
        foreach (var tile in now.Tiles)
        {
            var (from, to) = (old.Versions[tile.Id], now.Versions[tile.Id]);
            if (from == to)
            {
                continue;
            }

            var set = new JsonObject();
            var (oldFields, newFields) = (before.Fields[tile.Id], after.Fields[tile.Id]);
            if (oldFields.Count != newFields.Count)
            {
                return null;
            }

            foreach (var (name, value) in newFields)
            {
                if (name == after.IntradayField)
                {
                    continue;
                }

                if (!oldFields.TryGetPropertyValue(name, out var was))
                {
                    return null;
                }

                if (!JsonNode.DeepEquals(was, value))
                {
                    set[name] = value?.DeepClone();
                }
            }

            var (oldPoints, newPoints) = (before.Tile(tile.Id).Intraday, tile.Intraday);
            var first = 0;
            while (first < newPoints.Count && first < oldPoints.Count && newPoints[first] == oldPoints[first])
            {
                first++;
            }

            var chartMoved = first < newPoints.Count || oldPoints.Count != newPoints.Count;
            changes.Add(new TileChange(tile.Id, from, to, set, chartMoved ? first : null, chartMoved ? [.. newPoints.Skip(first)] : null));
        }

        return new BoardChange(now.BoardId, now.Seq, old.Seq, now.GeneratedAt, now.State, changes, now.Versions);
    }
}

/// <summary>A board as this instance last pushed it: the snapshot, its tiles' fields as JSON, and what a change cannot carry.</summary>
internal sealed class PushedBoard
{
    private readonly Dictionary<string, BoardTile> _tiles;

    private PushedBoard(BoardSnapshot snapshot, string frame, Dictionary<string, JsonObject> fields, string intradayField)
    {
        Snapshot = snapshot;
        Frame = frame;
        Fields = fields;
        IntradayField = intradayField;
        _tiles = snapshot.Tiles.ToDictionary(t => t.Id, StringComparer.Ordinal);
    }

    public BoardSnapshot Snapshot { get; }

    /// <summary>The board's titles, store, stale limit, pages and tile ids, as JSON.</summary>
    public string Frame { get; }

    public IReadOnlyDictionary<string, JsonObject> Fields { get; }

    /// <summary>The wire name of <see cref="BoardTile.Intraday"/>.</summary>
    public string IntradayField { get; }

    public BoardTile Tile(string id) => _tiles[id];

    public static PushedBoard Of(BoardSnapshot snapshot, JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(json);
        var frame = JsonSerializer.Serialize(
            new BoardFrame(snapshot.Title, snapshot.TitleEn, snapshot.AggregateStore, snapshot.StaleAfterSeconds, snapshot.Pages, [.. snapshot.Tiles.Select(t => t.Id)]), json);
        var fields = snapshot.Tiles.ToDictionary(t => t.Id, t => JsonSerializer.SerializeToNode(t, json)!.AsObject(), StringComparer.Ordinal);
        return new PushedBoard(snapshot, frame, fields, json.PropertyNamingPolicy?.ConvertName(nameof(BoardTile.Intraday)) ?? nameof(BoardTile.Intraday));
    }

    private sealed record BoardFrame(string Title, string TitleEn, string AggregateStore, double StaleAfterSeconds, IReadOnlyList<PageLayout> Pages, IReadOnlyList<string> Tiles);
}
