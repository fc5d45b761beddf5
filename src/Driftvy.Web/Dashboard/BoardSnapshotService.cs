using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Infrastructure;
using Driftvy.Web.Sources.Telephony;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Dashboard;

/// <summary>Assembles a board's snapshot from the aggregate store: one read of every bucket it needs.</summary>
public sealed class BoardSnapshotService(
    BoardCatalog boards,
    IAggregateStore aggregates,
    AggregateStatus status,
    IOptions<TelephonyOptions> telephony,
    TimeProvider time)
{
    private const int ShortAbandonSeconds = 5;

    public async Task<BoardSnapshot?> BuildAsync(string boardId, CancellationToken cancellationToken)
    {
        var board = boards.Find(boardId);
        if (board is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var today = StockholmTime.LocalDate(now);
        var dayStart = StockholmTime.StartOfDay(today);
        var staleAfter = telephony.Value.StaleAfter;
        var state = status.State == AggregateState.Ready ? "ready" : "rebuilding";

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
            var rebuilding = state != "ready";
            var day = rebuilding ? new ContactTally() : tallies[dayIndex];
            var sl = rebuilding ? null : ServiceLevel(day, def.ServiceLevelSeconds);
            var intraday = new List<IntradayPoint>(count);
            for (var q = 0; q < count && !rebuilding; q++)
            {
                var key = keys[from + q];
                var t = tallies[from + q];
                intraday.Add(new IntradayPoint(key.Start, t.Offered, ServiceLevel(t, def.ServiceLevelSeconds)));
            }

            var shortAbandoned = day.AbandonedWithin(ShortAbandonSeconds);
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
                sl,
                def.ServiceLevelSeconds,
                def.ServiceLevelTarget,
                Status(sl, def.ServiceLevelTarget),
                live?.At,
                live is null || now - live.At > staleAfter,
                intraday));
        }

        return new BoardSnapshot(board.Id, board.Title, now, state, aggregates.Kind, staleAfter.TotalSeconds, tiles);
    }

    /// <summary>
    /// Answered within X ÷ (answered + abandoned after the short-abandon threshold): the contact centre's
    /// default service-level variant. Null when no call counts.
    /// </summary>
    internal static double? ServiceLevel(ContactTally tally, int seconds)
    {
        var denominator = tally.Answered + tally.Abandoned - tally.AbandonedWithin(ShortAbandonSeconds);
        return denominator == 0 ? null : (double)tally.AnsweredWithin(seconds) / denominator;
    }

    private static string Status(double? value, double target) => value switch
    {
        null => "no-data",
        _ when value >= target => "on-target",
        _ when value >= target - 0.05 => "near-target",
        _ => "off-target",
    };
}
