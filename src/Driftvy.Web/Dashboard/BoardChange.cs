using System.Text.Json.Nodes;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// What changed on a board since the push before it, pushed as <c>BoardChanged</c> between whole snapshots: on a quiet
/// second only the tiles' ages and live figures move, a few hundred bytes against a 40 KB snapshot. A screen applies it
/// only on top of push <see cref="BaseSeq"/>, with every tile at the version the change names; anything else (a missed
/// push, a join that raced a push) makes the screen fetch the whole snapshot again (<c>Snapshot</c> on the hub).
/// </summary>
/// <param name="BoardId">Board id.</param>
/// <param name="Seq">This push's number (as the snapshot's <c>Seq</c>).</param>
/// <param name="BaseSeq">The push this change applies to.</param>
/// <param name="GeneratedAt">Server time when the new state was assembled.</param>
/// <param name="State"><c>ready</c> or <c>rebuilding</c>.</param>
/// <param name="Tiles">The tiles that changed, each with only its changed fields.</param>
/// <param name="Versions">Every tile's version after the change (tile id → version).</param>
public sealed record BoardChange(
    string BoardId,
    long Seq,
    long BaseSeq,
    DateTimeOffset GeneratedAt,
    string State,
    IReadOnlyList<TileChange> Tiles,
    IReadOnlyDictionary<string, string> Versions);

/// <summary>One tile's change: the fields whose value moved, and the intraday chart from the first quarter hour that moved.</summary>
/// <param name="Id">Tile id.</param>
/// <param name="From">The tile's version the change applies to.</param>
/// <param name="To">The tile's version after it.</param>
/// <param name="Set">The tile's fields (as in <see cref="BoardTile"/>, by their wire names) that have a new value, the chart's points aside.</param>
/// <param name="IntradayFrom">Index of the first chart point that changed; null when the chart did not.</param>
/// <param name="Intraday">The chart's points from <c>IntradayFrom</c> on (the chart ends with them).</param>
public sealed record TileChange(string Id, string From, string To, JsonObject Set, int? IntradayFrom, IReadOnlyList<IntradayPoint>? Intraday);
