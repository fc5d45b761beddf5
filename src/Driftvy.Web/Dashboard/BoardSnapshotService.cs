using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Periods;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Kpis;
using Driftvy.Web.Sources.Telephony;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// Assembles a board's snapshot: one read of every aggregate bucket the board needs, each service level
/// computed by the KPI engine with the definition version in force, and its status against the target.
/// </summary>
public sealed class BoardSnapshotService(
    BoardCatalog boards,
    KpiSetup kpis,
    IAggregateStore aggregates,
    AggregateStatus status,
    IOptions<TelephonyOptions> telephony,
    TimeProvider time)
{
    private const int DefaultShortAbandonSeconds = 5;

    public async Task<BoardSnapshot?> BuildAsync(string boardId, CancellationToken cancellationToken)
    {
        var board = boards.Find(boardId);
        if (board is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var today = StockholmTime.LocalDate(now);
        var dayStart = StockholmTime.StartOfDayUtc(today);
        var period = Period.Day(today);
        var staleAfter = telephony.Value.StaleAfter;
        var ready = status.State == AggregateState.Ready;

        var keys = new List<BucketKey>();
        var ranges = new List<(int DayIndex, int QuarterFrom, int QuarterCount)>();
        foreach (var tile in board.Tiles)
        {
            var dayIndex = keys.Count;
            keys.Add(BucketKey.ForDay(tile.Queue, today));
            var quarters = BucketKey.Range(tile.Queue, Granularity.Quarter, dayStart, now).ToList();
            ranges.Add((dayIndex, keys.Count, quarters.Count));
            keys.AddRange(quarters);
        }

        var talliesTask = aggregates.ReadTalliesAsync(keys, cancellationToken);
        var snapshotsTask = aggregates.ReadSnapshotsAsync(board.Tiles.Select(t => t.Queue).ToList(), cancellationToken);
        var tallies = await talliesTask.ConfigureAwait(false);
        var snapshots = await snapshotsTask.ConfigureAwait(false);

        var tiles = new List<QueueTile>(board.Tiles.Count);
        for (var i = 0; i < board.Tiles.Count; i++)
        {
            var def = board.Tiles[i];
            var (dayIndex, from, count) = ranges[i];
            var live = snapshots[i];
            // While rebuilding, figures would be partial: show none rather than wrong ones.
            var day = ready ? tallies[dayIndex] : new ContactTally();
            var reading = kpis.EvaluateQueue(def.Kpi, def.Queue, period, day);
            var parameters = kpis.Catalog.Get(def.Kpi).VersionOn(today)?.ParametersFor(def.Queue);
            var shortAbandonSeconds = parameters?.ShortAbandonSeconds ?? DefaultShortAbandonSeconds;
            var intraday = new List<IntradayPoint>(count);
            for (var q = 0; q < count && ready; q++)
            {
                var quarter = kpis.EvaluateQueue(def.Kpi, def.Queue, period, tallies[from + q]);
                intraday.Add(new IntradayPoint(keys[from + q].Start, tallies[from + q].Offered, quarter.Value.Value));
            }

            var shortAbandoned = day.AbandonedWithin(shortAbandonSeconds);
            tiles.Add(new QueueTile(
                def.Queue,
                def.Title,
                live?.Waiting,
                live?.LongestWaitSeconds,
                live?.AgentsAvailable,
                live?.AgentsBusy,
                live?.AgentsAway,
                day.Offered,
                day.Answered,
                day.Abandoned - shortAbandoned,
                shortAbandoned,
                reading.Value.Value,
                parameters?.ThresholdSeconds ?? 60,
                reading.Status?.Target.Value,
                reading.StatusCode,
                reading.Value.Provenance,
                live?.At,
                live is null || now - live.At > staleAfter,
                intraday));
        }

        return new BoardSnapshot(board.Id, board.Title, now, ready ? "ready" : "rebuilding", aggregates.Kind, staleAfter.TotalSeconds, tiles);
    }
}
