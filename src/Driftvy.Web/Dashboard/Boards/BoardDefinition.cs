namespace Driftvy.Web.Dashboard.Boards;

/// <summary>A wall-screen board as defined in <c>dashboards/{id}.json</c>: pages of tiles shown in rotation.</summary>
/// <param name="Id">Board id, used in <c>/boards/{id}</c>.</param>
/// <param name="Title">Heading of the board (Swedish).</param>
/// <param name="TitleEn">Heading of the board in English (<c>?lang=en</c>).</param>
/// <param name="Pages">At least one page; a board with one page does not rotate.</param>
/// <param name="File">The file the board came from (to name it in messages and on reload).</param>
public sealed record BoardDefinition(string Id, string Title, string TitleEn, IReadOnlyList<BoardPage> Pages, string File)
{
    /// <summary>Every tile of every page, in page order.</summary>
    public IReadOnlyList<TileDefinition> Tiles { get; } = [.. Pages.SelectMany(p => p.Tiles)];
}

/// <summary>One page of a board.</summary>
/// <param name="Title">Page heading (shown next to the board title while the page is on screen).</param>
/// <param name="TitleEn">Page heading in English.</param>
/// <param name="Columns">Columns of the page's grid (1–4); rows follow from the number of tiles.</param>
/// <param name="RotationSeconds">How long the page stays on screen before the next one (5–3600 s).</param>
/// <param name="Tiles">The page's tiles, laid out left to right, top to bottom.</param>
public sealed record BoardPage(string Title, string TitleEn, int Columns, int RotationSeconds, IReadOnlyList<TileDefinition> Tiles);

/// <summary>The span of time a tile's KPI covers.</summary>
public enum TileWindow
{
    /// <summary>The last 15 minutes (rolling).</summary>
    Now,

    /// <summary>The last 60 minutes (rolling).</summary>
    Last60Minutes,

    /// <summary>Today so far (Europe/Stockholm).</summary>
    Today,

    /// <summary>This ISO week so far.</summary>
    Week,

    /// <summary>This month so far.</summary>
    Month,

    /// <summary>1 January to today.</summary>
    YearToDate,
}

/// <summary>One tile: a KPI for a queue (contact-centre figures) or a team (back-office figures) over a window.</summary>
/// <param name="Id">Tile id, unique on the board (<c>p{page}t{index}</c>).</param>
/// <param name="Queue">Queue id for a queue tile; null for a team tile.</param>
/// <param name="Team">Team id for a team tile; null for a queue tile.</param>
/// <param name="Title">Heading shown on the tile.</param>
/// <param name="TitleEn">Heading shown on the tile in English.</param>
/// <param name="Kpi">The catalogue KPI shown against its target (e.g. <c>kc_answered_within_1_min</c>).</param>
/// <param name="Window">The span of time the KPI covers.</param>
/// <param name="Chart">Queue tiles: draw today's intraday chart (calls per quarter hour against the expected curve).</param>
/// <param name="Span">Grid columns the tile spans (1 or more, at most the page's columns).</param>
/// <param name="Staffing">A staffing tile (<c>"kind": "staffing"</c>): the queue's agents needed now against the agents answering, for the target of <paramref name="Kpi"/>.</param>
public sealed record TileDefinition(string Id, string? Queue, string? Team, string Title, string TitleEn, string Kpi, TileWindow Window, bool Chart, int Span, bool Staffing = false)
{
    /// <summary>A tile of a queue's KPI (not a staffing tile).</summary>
    public bool IsQueueTile => Queue is not null && !Staffing;

    /// <summary>The queue or team id.</summary>
    public string Subject => Queue ?? Team!;

    /// <summary>Queue tile on one of the old single-page boards: KPI for today with a chart.</summary>
    public static TileDefinition ForQueue(string id, string queue, string title, string kpi) =>
        new(id, queue, null, title, title, kpi, TileWindow.Today, true, 1);
}
