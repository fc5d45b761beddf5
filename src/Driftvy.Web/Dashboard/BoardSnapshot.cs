namespace Driftvy.Web.Dashboard;

/// <summary>Everything a wall screen needs to draw one board, pushed over SignalR and served at <c>/api/boards/{id}/snapshot</c>.</summary>
/// <param name="BoardId">Board id.</param>
/// <param name="Title">Board title.</param>
/// <param name="GeneratedAt">Server time when the snapshot was assembled (clients use it to correct their clock for ages).</param>
/// <param name="State"><c>ready</c>, or <c>rebuilding</c> while aggregates are rebuilt from facts (numbers are then withheld).</param>
/// <param name="AggregateStore"><c>in-process</c> or <c>redis</c>.</param>
/// <param name="StaleAfterSeconds">A tile whose data is older than this is shown as stale.</param>
/// <param name="Tiles">One tile per queue.</param>
public sealed record BoardSnapshot(
    string BoardId,
    string Title,
    DateTimeOffset GeneratedAt,
    string State,
    string AggregateStore,
    double StaleAfterSeconds,
    IReadOnlyList<QueueTile> Tiles);

/// <summary>One queue's figures for today (Europe/Stockholm) and its live state.</summary>
/// <param name="Queue">Queue id.</param>
/// <param name="Title">Heading.</param>
/// <param name="Waiting">Calls waiting now.</param>
/// <param name="LongestWaitSeconds">Longest current wait.</param>
/// <param name="AgentsAvailable">Agents ready to take a call.</param>
/// <param name="AgentsBusy">Agents in a call or wrap-up.</param>
/// <param name="AgentsAway">Agents on break or other work.</param>
/// <param name="Offered">Calls offered today.</param>
/// <param name="Answered">Calls answered today.</param>
/// <param name="Abandoned">Calls abandoned today after more than the short-abandon threshold.</param>
/// <param name="ShortAbandoned">Calls abandoned within the short-abandon threshold (left out of the service level).</param>
/// <param name="ServiceLevel">Percent (0–100) answered within <paramref name="ServiceLevelSeconds"/> today, by the tile's KPI; null when no call counts yet.</param>
/// <param name="ServiceLevelSeconds">X of the service level.</param>
/// <param name="Target">Target in percent for today, from the targets in force; null when the KPI has none.</param>
/// <param name="Status"><c>on-target</c>, <c>near-target</c> (within tolerance), <c>off-target</c>, <c>no-data</c> or <c>no-target</c>.</param>
/// <param name="Formula">Which KPI version and formula produced the service level.</param>
/// <param name="DataAsOf">When the source last delivered this queue's data; null if never.</param>
/// <param name="Stale">True when <paramref name="DataAsOf"/> is older than the board's stale limit.</param>
/// <param name="Intraday">Today per quarter hour: calls offered and the service level.</param>
public sealed record QueueTile(
    string Queue,
    string Title,
    int? Waiting,
    int? LongestWaitSeconds,
    int? AgentsAvailable,
    int? AgentsBusy,
    int? AgentsAway,
    long Offered,
    long Answered,
    long Abandoned,
    long ShortAbandoned,
    double? ServiceLevel,
    int ServiceLevelSeconds,
    double? Target,
    string Status,
    string Formula,
    DateTimeOffset? DataAsOf,
    bool Stale,
    IReadOnlyList<IntradayPoint> Intraday);

/// <summary>One quarter hour of a queue's day.</summary>
/// <param name="Start">Start of the quarter hour.</param>
/// <param name="Offered">Calls offered in it.</param>
/// <param name="ServiceLevel">Its service level in percent; null when no call counts.</param>
public sealed record IntradayPoint(DateTimeOffset Start, long Offered, double? ServiceLevel);
