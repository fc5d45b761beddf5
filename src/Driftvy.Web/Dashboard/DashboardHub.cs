using Microsoft.AspNetCore.SignalR;

namespace Driftvy.Web.Dashboard;

/// <summary>What the server calls on a wall screen.</summary>
public interface IDashboardClient
{
    /// <summary>A fresh snapshot of the board the screen joined.</summary>
    Task BoardUpdated(BoardSnapshot snapshot);

    /// <summary>The open alerts concerning the board's queues (and global ones), after any change.</summary>
    Task AlertsChanged(IReadOnlyList<Alerts.AlertView> alerts);
}

/// <summary>
/// Thin hub: a screen joins its board's group and gets the current snapshot back; pushes come from
/// <see cref="DashboardNotifier"/> through <c>IHubContext</c>.
/// </summary>
internal sealed class DashboardHub(BoardSnapshotService snapshots) : Hub<IDashboardClient>
{
    public const string Path = "/hubs/dashboard";

    public static string GroupOf(string boardId) => "board:" + boardId;

    public async Task<BoardSnapshot> JoinBoard(string boardId)
    {
        if (Context.User is not { } user || !Security.BoardAccess.MaySee(user, boardId))
        {
            throw new HubException("This display link is for another board.");
        }

        var snapshot = await snapshots.BuildAsync(boardId, Context.ConnectionAborted).ConfigureAwait(false)
            ?? throw new HubException($"Unknown board '{boardId}'.");
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(boardId), Context.ConnectionAborted).ConfigureAwait(false);
        return snapshot;
    }

    public Task LeaveBoard(string boardId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(boardId), Context.ConnectionAborted);
}
