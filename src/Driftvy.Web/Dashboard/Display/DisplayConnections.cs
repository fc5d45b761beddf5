using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Driftvy.Web.Infrastructure;

namespace Driftvy.Web.Dashboard.Display;

/// <summary>
/// The hub connections on this instance that joined with a display token, so that revoking the token
/// can take its screens off the board at once instead of at their next reconnect.
/// </summary>
internal sealed class DisplayConnections(IHubContext<DashboardHub, IDashboardClient> hub)
{
    private readonly ConcurrentDictionary<string, Entry> _byConnection = new();

    internal void Add(long tokenId, HubCallerContext context) =>
        _byConnection[context.ConnectionId] = new Entry(tokenId, context);

    /// <summary>Notes a board the connection joined, so revocation can take it out of that group.</summary>
    internal void Joined(string connectionId, string boardId)
    {
        if (_byConnection.TryGetValue(connectionId, out var entry))
        {
            lock (entry.Boards)
            {
                entry.Boards.Add(boardId);
            }
        }
    }

    internal void Remove(string connectionId) => _byConnection.TryRemove(connectionId, out _);

    /// <summary>The tokens that have live connections on this instance.</summary>
    public IReadOnlyCollection<long> TokenIds() => _byConnection.Values.Select(c => c.TokenId).ToHashSet();

    /// <summary>How many live connections use the token.</summary>
    public int Count(long tokenId) => _byConnection.Values.Count(c => c.TokenId == tokenId);

    internal async Task DisconnectAsync(long tokenId)
    {
        foreach (var (connectionId, entry) in _byConnection.Where(e => e.Value.TokenId == tokenId).ToList())
        {
            string[] boards;
            lock (entry.Boards)
            {
                boards = [.. entry.Boards];
            }

            foreach (var board in boards)
            {
                await hub.Groups.RemoveFromGroupAsync(connectionId, DashboardHub.GroupOf(board)).ConfigureAwait(false);
            }

            await hub.Clients.Client(connectionId).DisplayRevoked().ConfigureAwait(false);
            entry.Context.Abort();
            _byConnection.TryRemove(connectionId, out _);
        }
    }

    private sealed record Entry(long TokenId, HubCallerContext Context)
    {
        public HashSet<string> Boards { get; } = new(StringComparer.Ordinal);
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
