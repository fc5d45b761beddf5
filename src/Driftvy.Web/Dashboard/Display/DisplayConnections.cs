using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Driftvy.Web.Infrastructure;

namespace Driftvy.Web.Dashboard.Display;

/// <summary>
/// The hub connections on this instance that joined with a display token, so that revoking the token can take its
/// screens off the board at once instead of at their next reconnect. Each such connection is also in its token's
/// group, which the SignalR backplane reaches on every instance.
/// </summary>
internal sealed class DisplayConnections(IHubContext<DashboardHub, IDashboardClient> hub)
{
    private readonly ConcurrentDictionary<string, (long TokenId, string BoardId, HubCallerContext Context)> _byConnection = new();

    internal static string GroupOf(long tokenId) => "display:" + tokenId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal async Task AddAsync(long tokenId, string boardId, HubCallerContext context)
    {
        await hub.Groups.AddToGroupAsync(context.ConnectionId, GroupOf(tokenId), context.ConnectionAborted).ConfigureAwait(false);
        _byConnection[context.ConnectionId] = (tokenId, boardId, context);
    }

    internal void Remove(string connectionId) => _byConnection.TryRemove(connectionId, out _);

    /// <summary>The tokens that have live connections on this instance.</summary>
    public IReadOnlyCollection<long> TokenIds() => _byConnection.Values.Select(c => c.TokenId).ToHashSet();

    /// <summary>How many live connections use the token.</summary>
    public int Count(long tokenId) => _byConnection.Values.Count(c => c.TokenId == tokenId);

    /// <summary>
    /// The token was just revoked here: its screens on every instance are told at once (through the token's group),
    /// and this instance's are taken off their board and disconnected. Other instances disconnect theirs at their
    /// next sweep (<see cref="RevokedDisplaySweeper"/>).
    /// </summary>
    internal async Task RevokeAsync(long tokenId)
    {
        await hub.Clients.Group(GroupOf(tokenId)).DisplayRevoked().ConfigureAwait(false);
        await DisconnectAsync(tokenId, tell: false).ConfigureAwait(false);
    }

    /// <summary>Takes this instance's screens of the token off their board and disconnects them.</summary>
    internal Task DisconnectAsync(long tokenId) => DisconnectAsync(tokenId, tell: true);

    private async Task DisconnectAsync(long tokenId, bool tell)
    {
        foreach (var (connectionId, entry) in _byConnection.Where(e => e.Value.TokenId == tokenId).ToList())
        {
            await hub.Groups.RemoveFromGroupAsync(connectionId, DashboardHub.GroupOf(entry.BoardId)).ConfigureAwait(false);
            if (tell)
            {
                await hub.Clients.Client(connectionId).DisplayRevoked().ConfigureAwait(false);
            }

            entry.Context.Abort();
            _byConnection.TryRemove(connectionId, out _);
        }
    }
}

/// <summary>
/// Takes screens off their board when their token was revoked on another instance: the instance that
/// revokes disconnects its own screens at once; every other instance notices within <see cref="Every"/>.
/// </summary>
internal sealed class RevokedDisplaySweeper(DisplayConnections connections, DisplayTokenService tokens, TimeProvider time, ILogger<RevokedDisplaySweeper> logger)
    : Microsoft.Extensions.Hosting.BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    /// <summary>Disconnects every live screen whose token is revoked; returns how many tokens it dropped.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var live = connections.TokenIds();
        if (live.Count == 0)
        {
            return 0;
        }

        var revoked = (await tokens.ListAsync(cancellationToken).ConfigureAwait(false)).Where(t => t.Revoked && live.Contains(t.Id)).ToList();
        foreach (var token in revoked)
        {
            await connections.DisconnectAsync(token.Id).ConfigureAwait(false);
        }

        return revoked.Count;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Periodic.RunAsync(
        Every, time, SweepOnceAsync, ex => logger.LogWarning(ex, "Sweeping revoked display tokens failed"), stoppingToken);
}
