using Driftvy.Domain.Calendar;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.History;
using Driftvy.Web.Kpis;
using Driftvy.Web.Observability;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Staffing;
using Driftvy.Web.Steering;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// Assembles a board's snapshot, the one entry point of the hub, the notifier and the endpoints: the
/// <see cref="TilePlanner"/> works out which figures the board needs, the <see cref="BoardFigureReader"/> reads
/// them (through the <see cref="SnapshotFigureCache"/>, so a refresh reads only what moved), and the
/// <see cref="TileShaper"/> turns them into tiles. Each instance keeps its own caches.
/// </summary>
public sealed class BoardSnapshotService
{
    private readonly BoardCatalog _boards;
    private readonly AggregateStatus _status;
    private readonly IAggregateStore _aggregates;
    private readonly IOptions<TelephonyOptions> _telephony;
    private readonly IOptions<DashboardOptions> _dashboard;
    private readonly TimeProvider _time;
    private readonly TilePlanner _planner;
    private readonly BoardFigureReader _reader;
    private readonly SnapshotFigureCache _cache = new();
    private readonly TileShaper _shaper;
    private readonly SharedBoardBuilds _joins;
    private readonly IBoardPushSequence _pushes;
    private readonly System.Text.Json.JsonSerializerOptions _json;

    public BoardSnapshotService(
        BoardCatalog boards,
        KpiSetup kpis,
        IAggregateStore aggregates,
        AggregateStatus status,
        TallyHistory history,
        IBackOfficeFacts backOffice,
        AnnotationService annotations,
        QueueStaffingService staffing,
        IOptions<TelephonyOptions> telephony,
        IOptions<DashboardOptions> dashboard,
        IBoardPushSequence pushes,
        IOptions<Microsoft.AspNetCore.SignalR.JsonHubProtocolOptions> hubJson,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(hubJson);
        _pushes = pushes;
        _json = hubJson.Value.PayloadSerializerOptions;
        _boards = boards;
        _status = status;
        _aggregates = aggregates;
        _telephony = telephony;
        _dashboard = dashboard;
        _time = time;
        _planner = new TilePlanner(kpis);
        _reader = new BoardFigureReader(aggregates, history, backOffice, annotations, staffing, kpis, _cache);
        _shaper = new TileShaper(kpis, _planner);
        _joins = new SharedBoardBuilds(BuildAsync);
    }

    /// <summary>
    /// The snapshot a joining screen starts from. Screens that join while a build for the same board is under way wait
    /// for that build instead of starting their own (see <see cref="SharedBoardBuilds"/>).
    /// </summary>
    public Task<BoardSnapshot?> JoinAsync(string boardId, CancellationToken cancellationToken) => _joins.JoinAsync(boardId, cancellationToken);

    /// <summary>The board now, with the number of its latest push (what a change that follows can be applied to).</summary>
    public Task<BoardSnapshot?> BuildAsync(string boardId, CancellationToken cancellationToken) => BuildAsync(boardId, numbered: true, cancellationToken);

    /// <summary>The board now for the notifier, which numbers it as the push it becomes (<see cref="BoardSnapshot.Seq"/> left 0).</summary>
    internal Task<BoardSnapshot?> BuildToPushAsync(string boardId, CancellationToken cancellationToken) => BuildAsync(boardId, numbered: false, cancellationToken);

    private async Task<BoardSnapshot?> BuildAsync(string boardId, bool numbered, CancellationToken cancellationToken)
    {
        var board = _boards.Find(boardId);
        if (board is null)
        {
            return null;
        }

        using var span = DriftvyTracing.Snapshot(board.Id);
        try
        {
            var snapshot = await BuildAsync(board, numbered, cancellationToken).ConfigureAwait(false);
            span.Built(snapshot.Snapshot.State, snapshot.Snapshot.Tiles.Count, snapshot.Cacheable, snapshot.Reused);
            return snapshot.Snapshot;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            span.Failed(ex);
            throw;
        }
    }

    private async Task<(BoardSnapshot Snapshot, int Cacheable, int Reused)> BuildAsync(BoardDefinition board, bool numbered, CancellationToken cancellationToken)
    {
        // Read before the figures: the snapshot holds at least what that push held.
        var seq = numbered ? await _pushes.CurrentAsync(board.Id, cancellationToken).ConfigureAwait(false) : 0;
        var now = _time.GetUtcNow();
        var today = StockholmTime.LocalDate(now);
        var staleAfter = _telephony.Value.StaleAfter;
        var ready = _status.State == AggregateState.Ready;

        var plan = _planner.Plan(board, today);
        var read = await _reader.ReadAsync(plan, ready, now, cancellationToken).ConfigureAwait(false);

        var tiles = new List<BoardTile>(board.Tiles.Count);
        foreach (var def in board.Tiles)
        {
            if (def.Staffing)
            {
                var need = ready ? await _reader.NeedAsync(def.Queue!, cancellationToken).ConfigureAwait(false) : null;
                tiles.Add(_shaper.StaffingTile(def, need, read.Notes, now, today, staleAfter));
            }
            else if (def.IsQueueTile)
            {
                var tilePlan = plan.Tiles[def.Id];
                var figures = read.Figures.GetValueOrDefault(def.Id);
                IReadOnlyList<IntradayPoint>? intraday = null;
                if (def.Chart && ready && figures?.Chart is { } chart)
                {
                    var queue = def.Queue!;
                    var expected = await _reader.ExpectedAsync(queue, today, cancellationToken).ConfigureAwait(false);
                    intraday = _cache.Points(queue, tilePlan.ServiceLevelKpi, chart, expected, now, () => TileShaper.Intraday(queue, chart.Quarters, expected, now, today));
                }

                tiles.Add(_shaper.QueueTile(def, tilePlan, figures, read.Live.GetValueOrDefault(def.Queue!), read.ClosedDays, read.Notes, ready, intraday, now, today, staleAfter));
            }
            else
            {
                var period = TilePlanner.PeriodOf(def.Window, today);
                var facts = await _reader.BackOfficeAsync(def.Team!, period, cancellationToken).ConfigureAwait(false);
                tiles.Add(_shaper.TeamTile(def, period, facts, read.Notes, now, _dashboard.Value.BackOfficeStaleAfter));
            }
        }

        var pages = board.Pages.Select(p => new PageLayout(p.Title, p.TitleEn, p.Columns, p.RotationSeconds, [.. p.Tiles.Select(t => t.Id)])).ToList();
        return (new BoardSnapshot(board.Id, board.Title, board.TitleEn, now, ready ? "ready" : "rebuilding", _aggregates.Kind, staleAfter.TotalSeconds, pages, tiles, seq, BoardDiff.Versions(tiles, _json)),
            read.Cacheable, read.Reused);
    }
}
