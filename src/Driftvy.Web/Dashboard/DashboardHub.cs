using Driftvy.Web.Dashboard.Display;
using Microsoft.AspNetCore.SignalR;

namespace Driftvy.Web.Dashboard;

/// <summary>What the server calls on a wall screen.</summary>
public interface IDashboardClient
{
    /// <summary>A fresh snapshot of the board the screen joined.</summary>
    Task BoardUpdated(BoardSnapshot snapshot);

    /// <summary>The open alerts concerning the board's queues (and global ones), after any change.</summary>
    Task AlertsChanged(IReadOnlyList<Alerts.AlertView> alerts);

    /// <summary>The display token the screen connected with was revoked; the screen stops showing the board.</summary>
    Task DisplayRevoked();
}

/// <summary>
/// Thin hub: a screen joins its board's group and gets the current snapshot back; pushes come from
/// <see cref="DashboardNotifier"/> through <c>IHubContext</c>. A screen that connects with a display token
/// (<c>/hubs/dashboard?token=…</c>) may join only that token's board. Refusals carry a code (<see cref="HubErrors"/>).
/// </summary>
internal sealed class DashboardHub(BoardSnapshotService snapshots, DisplayTokenService tokens, DisplayConnections displays) : Hub<IDashboardClient>
{
    public const string Path = "/hubs/dashboard";

    public const string TokenQueryKey = "token";

    public static string GroupOf(string boardId) => "board:" + boardId;

    public async Task<BoardSnapshot> JoinBoard(string boardId)
    {
        var token = Context.GetHttpContext()?.Request.Query[TokenQueryKey].ToString();
        DisplayTokenInfo? display = null;
        if (!string.IsNullOrEmpty(token))
        {
            display = await tokens.ValidateAsync(token, Context.ConnectionAborted).ConfigureAwait(false)
                ?? throw new HubException(HubErrors.DisplayTokenRefused);
            if (!string.Equals(display.BoardId, boardId, StringComparison.Ordinal))
            {
                throw new HubException(HubErrors.DisplayTokenOtherBoard);
            }
        }

        var snapshot = await snapshots.BuildAsync(boardId, Context.ConnectionAborted).ConfigureAwait(false)
            ?? throw new HubException(HubErrors.UnknownBoard);
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(boardId), Context.ConnectionAborted).ConfigureAwait(false);
        if (display is not null)
        {
            await displays.AddAsync(display.Id, boardId, Context).ConfigureAwait(false);
        }

        return snapshot;
    }

    public Task LeaveBoard(string boardId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(boardId), Context.ConnectionAborted);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        displays.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
