using Driftvy.Web.Dashboard.Boards;
using Microsoft.AspNetCore.SignalR;

namespace Driftvy.Web.Dashboard;

/// <summary>Pushes fresh board snapshots to the screens watching them.</summary>
public interface IDashboardNotifier
{
    Task PublishAllAsync(CancellationToken cancellationToken);
}

internal sealed class DashboardNotifier(
    BoardCatalog boards,
    BoardSnapshotService snapshots,
    IHubContext<DashboardHub, IDashboardClient> hub,
    Observability.DriftvyMetrics metrics) : IDashboardNotifier
{
    public async Task PublishAllAsync(CancellationToken cancellationToken)
    {
        foreach (var board in boards.All)
        {
            var snapshot = await snapshots.BuildAsync(board.Id, cancellationToken).ConfigureAwait(false);
            if (snapshot is not null)
            {
                await hub.Clients.Group(DashboardHub.GroupOf(board.Id)).BoardUpdated(snapshot).ConfigureAwait(false);
                metrics.Pushed(board.Id, snapshot);
            }
        }
    }
}
