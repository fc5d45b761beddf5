using System.Security.Claims;
using Driftvy.Web.Security;
using Microsoft.AspNetCore.SignalR;

namespace Driftvy.Web.Dashboard;

/// <summary>What the server calls on a wall screen.</summary>
public interface IDashboardClient
{
    /// <summary>A fresh snapshot of the board the screen joined, whole.</summary>
    Task BoardUpdated(BoardSnapshot snapshot);

    /// <summary>What changed on the board since the push before (see <see cref="BoardChange"/>).</summary>
    Task BoardChanged(BoardChange change);

    /// <summary>The open alerts concerning the board's queues (and global ones), after any change.</summary>
    Task AlertsChanged(IReadOnlyList<Alerts.AlertView> alerts);

    /// <summary>The display token the screen connected with was revoked; the screen stops showing the board.</summary>
    Task DisplayRevoked();
}

/// <summary>
/// Thin hub: a screen joins its board's group and gets the current snapshot back; pushes come from
/// <see cref="DashboardNotifier"/> through <c>IHubContext</c>. Which boards a caller may join follows from the
/// identity it connected with, however it presented it (display token in the header or the query, cookie,
/// bearer token; WebSockets or long polling): a display token opens its own board only. Refusals carry a code
/// (<see cref="HubErrors"/>).
/// </summary>
internal sealed class DashboardHub(BoardSnapshotService snapshots, HubSessions sessions, Observability.ScreenCount screens) : Hub<IDashboardClient>
{
    public const string Path = "/hubs/dashboard";

    public const string TokenQueryKey = "token";

    public static string GroupOf(string boardId) => "board:" + boardId;

    public override async Task OnConnectedAsync()
    {
        // Every connection opened with a display token or a session is known by the token's or account's id,
        // whichever way it authenticated, so that ending that identity closes them all, joined to a board or not.
        await sessions.AddAsync(Context).ConfigureAwait(false);
        await base.OnConnectedAsync().ConfigureAwait(false);
    }

    public async Task<BoardSnapshot> JoinBoard(string boardId)
    {
        var snapshot = await SnapshotOfAsync(boardId).ConfigureAwait(false);
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(boardId), Context.ConnectionAborted).ConfigureAwait(false);
        sessions.Joined(Context.ConnectionId, boardId);
        screens.Joined(Context.ConnectionId, boardId);
        return snapshot;
    }

    /// <summary>The board's whole snapshot again, for a screen whose copy a <see cref="BoardChange"/> did not fit; the same refusals as <see cref="JoinBoard"/>.</summary>
    public Task<BoardSnapshot> Snapshot(string boardId) => SnapshotOfAsync(boardId);

    private async Task<BoardSnapshot> SnapshotOfAsync(string boardId)
    {
        var user = Context.User ?? new ClaimsPrincipal();
        // A token that was presented but refused leaves the caller anonymous; while anonymous reading is on that
        // would still open boards, so the screen is told its link is dead instead of silently showing data.
        if (Context.GetHttpContext() is { } http && DisplayTokenHandler.TokenOf(http.Request) is not null && DisplayTokenOf(user) is null)
        {
            throw new HubException(HubErrors.DisplayTokenRefused);
        }

        if (!BoardAccess.MaySee(user, boardId))
        {
            throw new HubException(DisplayTokenOf(user) is null ? HubErrors.BoardNotAllowed : HubErrors.DisplayTokenOtherBoard);
        }

        return await snapshots.JoinAsync(boardId, Context.ConnectionAborted).ConfigureAwait(false)
            ?? throw new HubException(HubErrors.UnknownBoard);
    }

    public Task LeaveBoard(string boardId)
    {
        screens.Left(Context.ConnectionId, boardId);
        return Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(boardId), Context.ConnectionAborted);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context.ConnectionId);
        screens.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private static long? DisplayTokenOf(ClaimsPrincipal? user) =>
        long.TryParse(user?.FindFirst(Schemes.DisplayTokenClaim)?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
}
