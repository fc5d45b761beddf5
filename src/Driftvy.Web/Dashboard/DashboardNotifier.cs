using System.Collections.Concurrent;
using Driftvy.Web.Dashboard.Boards;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Dashboard;

/// <summary>Pushes fresh board snapshots to the screens watching them.</summary>
public interface IDashboardNotifier
{
    Task PublishAllAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Builds each board once per change and sends it to the board's group on every instance (the backplane carries it):
/// as a <see cref="BoardChange"/> from the push before it (this instance's own, or the one another instance kept in
/// Redis), whole when that push is not at hand (the counter started again, a race between two instances) or the
/// board's frame moved.
/// </summary>
internal sealed class DashboardNotifier(
    BoardCatalog boards,
    BoardSnapshotService snapshots,
    IBoardPushSequence pushes,
    IHubContext<DashboardHub, IDashboardClient> hub,
    IOptions<JsonHubProtocolOptions> hubJson,
    Observability.DriftvyMetrics metrics) : IDashboardNotifier
{
    private readonly ConcurrentDictionary<string, PushedBoard> _last = new(StringComparer.Ordinal);

    public async Task PublishAllAsync(CancellationToken cancellationToken)
    {
        foreach (var board in boards.All)
        {
            var built = await snapshots.BuildToPushAsync(board.Id, cancellationToken).ConfigureAwait(false);
            if (built is null)
            {
                continue;
            }

            var json = hubJson.Value.PayloadSerializerOptions;
            var pushed = PushedBoard.Of(built with { Seq = await pushes.NextAsync(board.Id, cancellationToken).ConfigureAwait(false) }, json);
            var before = _last.TryGetValue(board.Id, out var own) && own.Snapshot.Seq == pushed.Snapshot.Seq - 1 ? own
                : await pushes.PushedAsync(board.Id, pushed.Snapshot.Seq - 1, cancellationToken).ConfigureAwait(false) is { } kept ? PushedBoard.Of(kept, json)
                : null;
            var change = before is null ? null : BoardDiff.Between(before, pushed);
            _last[board.Id] = pushed;
            await pushes.KeepAsync(pushed.Snapshot, cancellationToken).ConfigureAwait(false);
            var group = hub.Clients.Group(DashboardHub.GroupOf(board.Id));
            if (change is null)
            {
                await group.BoardUpdated(pushed.Snapshot).ConfigureAwait(false);
                metrics.Pushed(board.Id, pushed.Snapshot);
            }
            else
            {
                await group.BoardChanged(change).ConfigureAwait(false);
                metrics.Pushed(board.Id, change);
            }
        }
    }
}
