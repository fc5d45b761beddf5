namespace Driftvy.Web.Dashboard;

/// <summary>Everything a wall screen needs to draw one board, pushed over SignalR and served at <c>/api/boards/{id}/snapshot</c>.</summary>
/// <param name="BoardId">Board id.</param>
/// <param name="Title">Board title.</param>
/// <param name="TitleEn">Board title in English (the screen's <c>?lang=en</c>).</param>
/// <param name="GeneratedAt">Server time when the snapshot was assembled (clients use it to correct their clock for ages).</param>
/// <param name="State"><c>ready</c>, or <c>rebuilding</c> while aggregates are rebuilt from facts (numbers are then withheld).</param>
/// <param name="AggregateStore"><c>in-process</c> or <c>redis</c>.</param>
/// <param name="StaleAfterSeconds">A queue tile whose data is older than this is shown as stale (team tiles carry their own limit).</param>
/// <param name="Pages">The board's pages in rotation order, each naming its tiles.</param>
/// <param name="Tiles">Every tile of every page.</param>
/// <param name="Seq">
/// The number of the board's latest push when the snapshot was assembled (a pushed snapshot: its own number); a screen
/// applies a <see cref="BoardChange"/> only on top of the push it follows.
/// </param>
/// <param name="Versions">Every tile's version (tile id → a hash of the tile), which a <see cref="BoardChange"/> names.</param>
public sealed record BoardSnapshot(
    string BoardId,
    string Title,
    string TitleEn,
    DateTimeOffset GeneratedAt,
    string State,
    string AggregateStore,
    double StaleAfterSeconds,
    IReadOnlyList<PageLayout> Pages,
    IReadOnlyList<BoardTile> Tiles,
    long Seq,
    IReadOnlyDictionary<string, string> Versions);

/// <summary>One page of a board as the screen lays it out.</summary>
/// <param name="Title">Page heading.</param>
/// <param name="TitleEn">Page heading in English.</param>
/// <param name="Columns">Grid columns.</param>
/// <param name="RotationSeconds">Seconds on screen before the next page.</param>
/// <param name="Tiles">Ids of the page's tiles, in layout order.</param>
public sealed record PageLayout(string Title, string TitleEn, int Columns, int RotationSeconds, IReadOnlyList<string> Tiles);

/// <summary>One tile: a KPI over its window against its target, with the live state of its queue.</summary>
/// <remarks>
/// The flat shape is the wire contract the screens are typed against (names, order and nulls are fixed by a golden test);
/// <see cref="TileShaper"/> composes it from named parts: the heading, the KPI figure, the live queue state, the
/// window's call counts, the freshness and the chart.
/// </remarks>
public sealed record BoardTile
{
    /// <summary>Tile id on the board.</summary>
    public required string Id { get; init; }

    /// <summary><c>queue</c> (contact-centre figures from the aggregates), <c>staffing</c> (agents needed against agents answering) or <c>team</c> (back-office figures).</summary>
    public required string Kind { get; init; }

    /// <summary>Queue id (queue tiles) or team id (team tiles).</summary>
    public required string Queue { get; init; }

    /// <summary>Heading.</summary>
    public required string Title { get; init; }

    /// <summary>Heading in English.</summary>
    public required string TitleEn { get; init; }

    /// <summary>KPI id.</summary>
    public required string Kpi { get; init; }

    /// <summary>The KPI's Swedish name.</summary>
    public required string KpiName { get; init; }

    /// <summary>The KPI's English name.</summary>
    public required string KpiNameEn { get; init; }

    /// <summary><c>now</c> (last 15 min), <c>last_60_min</c>, <c>today</c>, <c>week</c>, <c>month</c> or <c>ytd</c>.</summary>
    public required string Window { get; init; }

    /// <summary>The KPI's value over the window; null when it has none (see <see cref="NoValueReason"/>).</summary>
    public required double? Value { get; init; }

    /// <summary><c>percent</c> (0–100), <c>seconds</c>, <c>count</c>, <c>count_per_fte</c>, <c>days</c>, <c>index</c> or <c>score</c>.</summary>
    public required string Unit { get; init; }

    /// <summary>Target for the window's period, derived from the annual target in force; null when the KPI has none.</summary>
    public required double? Target { get; init; }

    /// <summary><c>on-target</c>, <c>near-target</c> (within tolerance), <c>off-target</c>, <c>no-data</c> or <c>no-target</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Grid columns the tile spans.</summary>
    public required int Span { get; init; }

    /// <summary>Which KPI version and formula produced the value.</summary>
    public required string Formula { get; init; }

    /// <summary>Why there is no value, in English.</summary>
    public required string? NoValueReason { get; init; }

    /// <summary>Calls waiting now (queue tiles).</summary>
    public required int? Waiting { get; init; }

    /// <summary>Longest current wait.</summary>
    public required int? LongestWaitSeconds { get; init; }

    /// <summary>Agents ready to take a call.</summary>
    public required int? AgentsAvailable { get; init; }

    /// <summary>Agents in a call or wrap-up.</summary>
    public required int? AgentsBusy { get; init; }

    /// <summary>Agents on break or other work.</summary>
    public required int? AgentsAway { get; init; }

    /// <summary>Calls offered in the window.</summary>
    public required long Offered { get; init; }

    /// <summary>Calls answered in the window.</summary>
    public required long Answered { get; init; }

    /// <summary>Calls abandoned in the window after more than the short-abandon threshold.</summary>
    public required long Abandoned { get; init; }

    /// <summary>Calls abandoned within the short-abandon threshold.</summary>
    public required long ShortAbandoned { get; init; }

    /// <summary>X of the service level shown in the intraday chart.</summary>
    public required int? ServiceLevelSeconds { get; init; }

    /// <summary>When the source last delivered this tile's data; null if never.</summary>
    public required DateTimeOffset? DataAsOf { get; init; }

    /// <summary>True when <see cref="DataAsOf"/> is older than <see cref="StaleAfterSeconds"/>.</summary>
    public required bool Stale { get; init; }

    /// <summary>This tile's stale limit.</summary>
    public required double StaleAfterSeconds { get; init; }

    /// <summary>Today per quarter hour: calls offered, calls expected and the service level (queue tiles with a chart).</summary>
    public required IReadOnlyList<IntradayPoint> Intraday { get; init; }

    /// <summary>Target of the service level drawn in the chart, in percent.</summary>
    public required double? IntradayTarget { get; init; }

    /// <summary>Today's notes for the tile's queue or team (and notes for everyone).</summary>
    public required IReadOnlyList<AnnotationView> Annotations { get; init; }

    /// <summary>Staffing tiles: agents needed against agents answering, with the method's inputs.</summary>
    public StaffingTileFigures? Staffing { get; init; }
}

/// <summary>A staffing tile's figures: "Behov 14 · Inne 11 · −3" and what lies behind them.</summary>
/// <param name="Needed">Agents needed now (the larger of the last 30 minutes' need and the quarter hour under way's); null when it cannot be worked out.</param>
/// <param name="Answering">Agents answering (available and busy) in the latest queue snapshot; null without one.</param>
/// <param name="Gap">Answering minus needed (negative: short).</param>
/// <param name="SnapshotStale">The snapshot is older than the telephony stale limit.</param>
/// <param name="CallsPerHour">Arrival rate over the last 30 minutes.</param>
/// <param name="HandleTimeSeconds">Mean handle time used.</param>
/// <param name="HandleTimeFrom"><c>today</c> or the earlier same weekday it comes from.</param>
/// <param name="PatienceSeconds">Mean patience from the queue's abandons; null: Erlang C.</param>
/// <param name="Model">The queueing model, in words.</param>
/// <param name="ServiceLevelTarget">Target (a fraction).</param>
/// <param name="AnswerWithinSeconds">The target's time.</param>
/// <param name="Reforecast">The rest-of-day method with its factor, in words.</param>
/// <param name="ProjectedServiceLevel">Where today ends if staffing stays as it is (a fraction).</param>
/// <param name="AgentHoursAsStaffed">Agent-hours until closing as staffed now.</param>
/// <param name="AgentHoursNeeded">Agent-hours until closing that meet the target in each quarter hour.</param>
/// <param name="AgentHoursForDayTarget">Agent-hours until closing that bring the whole day to the target; null when out of reach.</param>
/// <param name="Reason">Why a figure is missing.</param>
public sealed record StaffingTileFigures(
    int? Needed,
    int? Answering,
    int? Gap,
    bool SnapshotStale,
    double CallsPerHour,
    double? HandleTimeSeconds,
    string? HandleTimeFrom,
    double? PatienceSeconds,
    string? Model,
    double? ServiceLevelTarget,
    int? AnswerWithinSeconds,
    string? Reforecast,
    double? ProjectedServiceLevel,
    double? AgentHoursAsStaffed,
    double? AgentHoursNeeded,
    double? AgentHoursForDayTarget,
    string? Reason);

/// <summary>One quarter hour of a queue's day.</summary>
/// <param name="Start">Start of the quarter hour.</param>
/// <param name="Offered">Calls offered in it; null for quarter hours still to come.</param>
/// <param name="Expected">Calls expected (same weekday's average over the last weeks, holidays left out); null without history.</param>
/// <param name="ServiceLevel">Its service level in percent; null when no call counts.</param>
public sealed record IntradayPoint(DateTimeOffset Start, long? Offered, double? Expected, double? ServiceLevel);

/// <summary>A note on a day or time span, as screens and reports show it.</summary>
/// <param name="Id">Annotation id.</param>
/// <param name="Subject">Queue or team id it concerns; null for everyone.</param>
/// <param name="Start">Start of the event.</param>
/// <param name="End">End of the event; null for a moment or a whole-day note.</param>
/// <param name="Text">The note.</param>
public sealed record AnnotationView(long Id, string? Subject, DateTimeOffset Start, DateTimeOffset? End, string Text);
