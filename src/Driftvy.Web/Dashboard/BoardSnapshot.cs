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
public sealed record BoardSnapshot(
    string BoardId,
    string Title,
    string TitleEn,
    DateTimeOffset GeneratedAt,
    string State,
    string AggregateStore,
    double StaleAfterSeconds,
    IReadOnlyList<PageLayout> Pages,
    IReadOnlyList<BoardTile> Tiles);

/// <summary>One page of a board as the screen lays it out.</summary>
/// <param name="Title">Page heading.</param>
/// <param name="TitleEn">Page heading in English.</param>
/// <param name="Columns">Grid columns.</param>
/// <param name="RotationSeconds">Seconds on screen before the next page.</param>
/// <param name="Tiles">Ids of the page's tiles, in layout order.</param>
public sealed record PageLayout(string Title, string TitleEn, int Columns, int RotationSeconds, IReadOnlyList<string> Tiles);

/// <summary>One tile: a KPI over its window against its target, with the live state of its queue.</summary>
/// <param name="Id">Tile id on the board.</param>
/// <param name="Kind"><c>queue</c> (contact-centre figures from the aggregates) or <c>team</c> (back-office figures).</param>
/// <param name="Queue">Queue id (queue tiles) or team id (team tiles).</param>
/// <param name="Title">Heading.</param>
/// <param name="TitleEn">Heading in English.</param>
/// <param name="Kpi">KPI id.</param>
/// <param name="KpiName">The KPI's Swedish name.</param>
/// <param name="KpiNameEn">The KPI's English name.</param>
/// <param name="Window"><c>now</c> (last 15 min), <c>last_60_min</c>, <c>today</c>, <c>week</c>, <c>month</c> or <c>ytd</c>.</param>
/// <param name="Value">The KPI's value over the window; null when it has none (see <paramref name="NoValueReason"/>).</param>
/// <param name="Unit"><c>percent</c> (0–100), <c>seconds</c>, <c>count</c>, <c>count_per_fte</c>, <c>days</c>, <c>index</c> or <c>score</c>.</param>
/// <param name="Target">Target for the window's period, derived from the annual target in force; null when the KPI has none.</param>
/// <param name="Status"><c>on-target</c>, <c>near-target</c> (within tolerance), <c>off-target</c>, <c>no-data</c> or <c>no-target</c>.</param>
/// <param name="Span">Grid columns the tile spans.</param>
/// <param name="Formula">Which KPI version and formula produced the value.</param>
/// <param name="NoValueReason">Why there is no value, in English.</param>
/// <param name="Waiting">Calls waiting now (queue tiles).</param>
/// <param name="LongestWaitSeconds">Longest current wait.</param>
/// <param name="AgentsAvailable">Agents ready to take a call.</param>
/// <param name="AgentsBusy">Agents in a call or wrap-up.</param>
/// <param name="AgentsAway">Agents on break or other work.</param>
/// <param name="Offered">Calls offered in the window.</param>
/// <param name="Answered">Calls answered in the window.</param>
/// <param name="Abandoned">Calls abandoned in the window after more than the short-abandon threshold.</param>
/// <param name="ShortAbandoned">Calls abandoned within the short-abandon threshold.</param>
/// <param name="ServiceLevelSeconds">X of the service level shown in the intraday chart.</param>
/// <param name="DataAsOf">When the source last delivered this tile's data; null if never.</param>
/// <param name="Stale">True when <paramref name="DataAsOf"/> is older than <paramref name="StaleAfterSeconds"/>.</param>
/// <param name="StaleAfterSeconds">This tile's stale limit.</param>
/// <param name="Intraday">Today per quarter hour: calls offered, calls expected and the service level (queue tiles with a chart).</param>
/// <param name="IntradayTarget">Target of the service level drawn in the chart, in percent.</param>
/// <param name="Annotations">Today's notes for the tile's queue or team (and notes for everyone).</param>
/// <param name="Staffing">Staffing tiles: agents needed against agents answering, with the method's inputs.</param>
public sealed record BoardTile(
    string Id,
    string Kind,
    string Queue,
    string Title,
    string TitleEn,
    string Kpi,
    string KpiName,
    string KpiNameEn,
    string Window,
    double? Value,
    string Unit,
    double? Target,
    string Status,
    int Span,
    string Formula,
    string? NoValueReason,
    int? Waiting,
    int? LongestWaitSeconds,
    int? AgentsAvailable,
    int? AgentsBusy,
    int? AgentsAway,
    long Offered,
    long Answered,
    long Abandoned,
    long ShortAbandoned,
    int? ServiceLevelSeconds,
    DateTimeOffset? DataAsOf,
    bool Stale,
    double StaleAfterSeconds,
    IReadOnlyList<IntradayPoint> Intraday,
    double? IntradayTarget,
    IReadOnlyList<AnnotationView> Annotations,
    StaffingTileFigures? Staffing = null);

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
