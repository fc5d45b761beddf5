using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Driftvy.Web.Dashboard.Display;

/// <summary>
/// The hub connections on this instance that joined with a display token, so that revoking the token
/// can take its screens off the board at once instead of at their next reconnect.
/// </summary>
internal sealed class DisplayConnections(IHubContext<DashboardHub, IDashboardClient> hub)
{
    private readonly ConcurrentDictionary<string, (long TokenId, string BoardId, HubCallerContext Context)> _byConnection = new();

    internal void Add(long tokenId, string boardId, HubCallerContext context) =>
        _byConnection[context.ConnectionId] = (tokenId, boardId, context);

    internal void Remove(string connectionId) => _byConnection.TryRemove(connectionId, out _);

    /// <summary>How many live connections use the token.</summary>
    public int Count(long tokenId) => _byConnection.Values.Count(c => c.TokenId == tokenId);

    internal async Task DisconnectAsync(long tokenId)
    {
        foreach (var (connectionId, entry) in _byConnection.Where(e => e.Value.TokenId == tokenId).ToList())
        {
            await hub.Groups.RemoveFromGroupAsync(connectionId, DashboardHub.GroupOf(entry.BoardId)).ConfigureAwait(false);
            await hub.Clients.Client(connectionId).DisplayRevoked().ConfigureAwait(false);
            entry.Context.Abort();
            _byConnection.TryRemove(connectionId, out _);
        }
    }
}
