namespace Driftvy.Web.Dashboard.Boards;

/// <summary>A wall-screen board as defined in <c>dashboards/{id}.json</c>.</summary>
public sealed record BoardDefinition(string Id, string Title, IReadOnlyList<TileDefinition> Tiles);

/// <summary>One queue tile on a board.</summary>
/// <param name="Queue">Queue id the tile shows.</param>
/// <param name="Title">Heading shown on the tile.</param>
/// <param name="Kpi">The service-level KPI of the catalogue shown against its target (e.g. <c>kc_answered_within_1_min</c>).</param>
public sealed record TileDefinition(string Queue, string Title, string Kpi);
