using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Driftvy.Web.Infrastructure;
using Driftvy.Web.Security;
using Microsoft.AspNetCore.SignalR;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// The hub connections on this instance that were opened with an identity that can end: a display token or a
/// signed-in user's session. Revoking the token, or ending the user's sessions, takes them off their boards at
/// once instead of at their next reconnect. A display connection is also in its token's group, which the SignalR
/// backplane reaches on every instance, so a revocation is told to its screens everywhere at once.
/// </summary>
internal sealed class HubSessions(IHubContext<DashboardHub, IDashboardClient> hub) : ILiveSessions
{
    private readonly ConcurrentDictionary<string, Entry> _byConnection = new();

    internal static string DisplayGroupOf(long tokenId) => "display:" + tokenId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Registers a connection whose identity can end; anonymous and bearer connections are not tracked.</summary>
    internal async Task AddAsync(HubCallerContext context)
    {
        var user = context.User;
        var token = IdOf(user, Schemes.DisplayTokenClaim);
        var account = user?.Identity?.AuthenticationType == Schemes.Cookie ? IdOf(user, ClaimTypes.NameIdentifier) : null;
        if (token is not null || account is not null)
        {
            _byConnection[context.ConnectionId] = new Entry(token, account, context);
        }

        if (token is { } id)
        {
            await hub.Groups.AddToGroupAsync(context.ConnectionId, DisplayGroupOf(id), context.ConnectionAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Notes a board the connection joined, so that ending it can take it out of that group.</summary>
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

    /// <summary>The display tokens that have live connections on this instance.</summary>
    public IReadOnlyCollection<long> TokenIds() => _byConnection.Values.Where(c => c.TokenId is not null).Select(c => c.TokenId!.Value).ToHashSet();

    /// <summary>How many live connections use the display token.</summary>
    public int Count(long tokenId) => _byConnection.Values.Count(c => c.TokenId == tokenId);

    /// <summary>
    /// The token was just revoked here: its screens on every instance are told at once (through the token's group), and
    /// this instance's are taken off their boards and disconnected; other instances drop theirs at their next sweep
    /// (<see cref="EndedSessionSweeper"/>), and refuse their next hub call at once.
    /// </summary>
    internal async Task RevokeAsync(long tokenId)
    {
        await hub.Clients.Group(DisplayGroupOf(tokenId)).DisplayRevoked().ConfigureAwait(false);
        await DropAsync(e => e.TokenId == tokenId, tell: false).ConfigureAwait(false);
    }

    public Task EndUserAsync(long userId) => DropAsync(e => e.UserId == userId, tell: true);

    /// <summary>Drops every connection whose identity is no longer good; returns how many it dropped.</summary>
    internal async Task<int> SweepAsync(SessionCheck sessions, CancellationToken cancellationToken)
    {
        var ended = new List<string>();
        foreach (var (connectionId, entry) in _byConnection.ToList())
        {
            if (!await sessions.IsCurrentAsync(entry.Context.User, cancellationToken).ConfigureAwait(false))
            {
                ended.Add(connectionId);
            }
        }

        await DropAsync(e => ended.Contains(e.Context.ConnectionId), tell: true).ConfigureAwait(false);
        return ended.Count;
    }

    private async Task DropAsync(Func<Entry, bool> which, bool tell)
    {
        foreach (var (connectionId, entry) in _byConnection.Where(e => which(e.Value)).ToList())
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

            if (tell && entry.TokenId is not null)
            {
                await hub.Clients.Client(connectionId).DisplayRevoked().ConfigureAwait(false);
            }

            entry.Context.Abort();
            _byConnection.TryRemove(connectionId, out _);
        }
    }

    private static long? IdOf(ClaimsPrincipal? user, string claim) =>
        long.TryParse(user?.FindFirst(claim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private sealed record Entry(long? TokenId, long? UserId, HubCallerContext Context)
    {
        public HashSet<string> Boards { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>
/// Takes connections off their boards when their identity ended on another instance (a display token revoked,
/// an account disabled, demoted or signed out there): the instance that ends it drops its own connections at
/// once; every other instance notices within <see cref="Every"/>, and refuses their next hub call at once.
/// </summary>
internal sealed class EndedSessionSweeper(HubSessions connections, SessionCheck sessions, TimeProvider time, ILogger<EndedSessionSweeper> logger)
    : Microsoft.Extensions.Hosting.BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    /// <summary>Disconnects every live connection whose identity ended; returns how many it dropped.</summary>
    public Task<int> SweepOnceAsync(CancellationToken cancellationToken) => connections.SweepAsync(sessions, cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Periodic.RunAsync(
        Every, time, SweepOnceAsync, ex => logger.LogWarning(ex, "Sweeping ended hub sessions failed"), stoppingToken);
}
