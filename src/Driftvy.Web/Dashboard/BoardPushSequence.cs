using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Driftvy.Web.Aggregates;
using StackExchange.Redis;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// Numbers a board's pushes across every instance, so that a push can say which one it follows: a screen applies a
/// <see cref="BoardChange"/> only on top of the very push it was computed from (see <see cref="BoardDiff"/>). With
/// one instance the numbers live in the process; with Redis they are one counter per board in the shared store.
/// </summary>
public interface IBoardPushSequence
{
    /// <summary>The number of the board's latest push (0 before the first).</summary>
    Task<long> CurrentAsync(string boardId, CancellationToken cancellationToken);

    /// <summary>Takes the number of the push about to be sent.</summary>
    Task<long> NextAsync(string boardId, CancellationToken cancellationToken);
}

internal sealed class InProcessBoardPushSequence : IBoardPushSequence
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _numbers = new(StringComparer.Ordinal);

    public Task<long> CurrentAsync(string boardId, CancellationToken cancellationToken) =>
        Task.FromResult(Interlocked.Read(ref Box(boardId).Value));

    public Task<long> NextAsync(string boardId, CancellationToken cancellationToken) =>
        Task.FromResult(Interlocked.Increment(ref Box(boardId).Value));

    private StrongBox<long> Box(string boardId) => _numbers.GetOrAdd(boardId, _ => new StrongBox<long>());
}

/// <summary>One counter per board under <see cref="AggregateOptions.KeyPrefix"/>; a flushed Redis starts again at 1, and the screens take the next push whole.</summary>
internal sealed class RedisBoardPushSequence(IConnectionMultiplexer redis, string keyPrefix) : IBoardPushSequence
{
    public async Task<long> CurrentAsync(string boardId, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(boardId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return value.TryParse(out long n) ? n : 0;
    }

    public Task<long> NextAsync(string boardId, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringIncrementAsync(Key(boardId)).WaitAsync(cancellationToken);

    private RedisKey Key(string boardId) => keyPrefix + "board-push:" + boardId;
}
