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
/// as a <see cref="BoardChange"/> when this instance sent the push before it, whole otherwise (the first push of an
/// instance, another instance pushed in between, or the board's frame moved).
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
            var built = await snapshots.BuildAsync(board.Id, cancellationToken).ConfigureAwait(false);
            if (built is null)
            {
                continue;
            }

            var pushed = PushedBoard.Of(built with { Seq = await pushes.NextAsync(board.Id, cancellationToken).ConfigureAwait(false) }, hubJson.Value.PayloadSerializerOptions);
            var change = _last.TryGetValue(board.Id, out var before) ? BoardDiff.Between(before, pushed) : null;
            _last[board.Id] = pushed;
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
