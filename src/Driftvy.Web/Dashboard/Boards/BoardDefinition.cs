namespace Driftvy.Web.Dashboard.Boards;

/// <summary>A wall-screen board as defined in <c>dashboards/{id}.json</c>.</summary>
public sealed record BoardDefinition(string Id, string Title, IReadOnlyList<TileDefinition> Tiles);

/// <summary>One queue tile on a board.</summary>
/// <param name="Queue">Queue id the tile shows.</param>
/// <param name="Title">Heading shown on the tile.</param>
/// <param name="ServiceLevelSeconds">X in "share answered within X s" (default 60).</param>
/// <param name="ServiceLevelTarget">Target share as a fraction (0.85 = 85 %).</param>
public sealed record TileDefinition(string Queue, string Title, int ServiceLevelSeconds, double ServiceLevelTarget);
