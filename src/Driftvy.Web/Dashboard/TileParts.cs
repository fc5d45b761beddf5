using Driftvy.Web.Sources.Telephony;

namespace Driftvy.Web.Dashboard;

// The named parts a tile is composed of while it is shaped (see TileShaper.Compose); the wire shape stays the flat BoardTile.

/// <summary>What a tile is: its id, kind, subject (queue or team), headings, KPI and window.</summary>
internal sealed record TileHeading(
    string Id, string Kind, string Subject, string Title, string TitleEn, string Kpi, string KpiName, string KpiNameEn, string Window, int Span);

/// <summary>The KPI's value over the window against its target, and how it was computed (or why it could not be).</summary>
internal sealed record KpiFigure(double? Value, string Unit, double? Target, string Status, string Formula, string? NoValueReason);

/// <summary>A queue's state now, from its latest snapshot: calls waiting and agents by state.</summary>
internal sealed record LiveQueueState(int? Waiting, int? LongestWaitSeconds, int? AgentsAvailable, int? AgentsBusy, int? AgentsAway)
{
    /// <summary>No live state: a tile of a team, a staffing tile, or a queue never seen.</summary>
    public static LiveQueueState None { get; } = new(null, null, null, null, null);

    public static LiveQueueState Of(QueueSnapshot? live) =>
        live is null ? None : new(live.Waiting, live.LongestWaitSeconds, live.AgentsAvailable, live.AgentsBusy, live.AgentsAway);
}

/// <summary>Calls in the tile's window; abandoned calls split at the short-abandon threshold.</summary>
internal sealed record CallCounts(long Offered, long Answered, long Abandoned, long ShortAbandoned)
{
    public static CallCounts None { get; } = new(0, 0, 0, 0);
}

/// <summary>When the tile's source last delivered, and whether that is too long ago.</summary>
internal sealed record Freshness(DateTimeOffset? DataAsOf, bool Stale, double StaleAfterSeconds)
{
    /// <summary>Data never delivered, or delivered longer than <paramref name="staleAfter"/> before <paramref name="now"/>, is stale.</summary>
    public static Freshness Of(DateTimeOffset? asOf, DateTimeOffset now, TimeSpan staleAfter) =>
        new(asOf, asOf is not { } at || now - at > staleAfter, staleAfter.TotalSeconds);
}

/// <summary>The tile's intraday chart, with the X of the service level it draws (or of the staffing target).</summary>
internal sealed record TileChart(IReadOnlyList<IntradayPoint> Points, double? Target, int? ServiceLevelSeconds)
{
    public static TileChart Without(int? serviceLevelSeconds) => new([], null, serviceLevelSeconds);
}
