using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Driftvy.Web.Aggregates;
using StackExchange.Redis;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// Numbers a board's pushes across every instance, so that a push can say which one it follows (a screen applies a
/// <see cref="BoardChange"/> only on top of the very push it was computed from, see <see cref="BoardDiff"/>), and keeps
/// the latest push where the next pusher finds it. With one instance the numbers live in the process; with Redis they
/// are one counter per board in the shared store, beside the board as last pushed.
/// </summary>
public interface IBoardPushSequence
{
    /// <summary>The number of the board's latest push (0 before the first).</summary>
    Task<long> CurrentAsync(string boardId, CancellationToken cancellationToken);

    /// <summary>Takes the number of the push about to be sent.</summary>
    Task<long> NextAsync(string boardId, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the board as just pushed where every instance finds it, so that the next push, from whichever instance,
    /// can be sent as a change (nothing to keep with one instance: its notifier holds its own last push).
    /// </summary>
    Task KeepAsync(BoardSnapshot pushed, CancellationToken cancellationToken);

    /// <summary>The board as pushed with number <paramref name="seq"/> by any instance, or null when that is not the one kept.</summary>
    Task<BoardSnapshot?> PushedAsync(string boardId, long seq, CancellationToken cancellationToken);
}

internal sealed class InProcessBoardPushSequence : IBoardPushSequence
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _numbers = new(StringComparer.Ordinal);

    public Task<long> CurrentAsync(string boardId, CancellationToken cancellationToken) =>
        Task.FromResult(Interlocked.Read(ref Box(boardId).Value));

    public Task<long> NextAsync(string boardId, CancellationToken cancellationToken) =>
        Task.FromResult(Interlocked.Increment(ref Box(boardId).Value));

    public Task KeepAsync(BoardSnapshot pushed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<BoardSnapshot?> PushedAsync(string boardId, long seq, CancellationToken cancellationToken) => Task.FromResult<BoardSnapshot?>(null);

    private StrongBox<long> Box(string boardId) => _numbers.GetOrAdd(boardId, _ => new StrongBox<long>());
}

/// <summary>
/// One counter per board under <see cref="AggregateOptions.KeyPrefix"/>, and the board as last pushed (its JSON, for a
/// minute); a flushed Redis starts again at 1, and the screens take the next push whole.
/// </summary>
internal sealed class RedisBoardPushSequence(IConnectionMultiplexer redis, string keyPrefix, JsonSerializerOptions json) : IBoardPushSequence
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(1);

    public async Task<long> CurrentAsync(string boardId, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(boardId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return value.TryParse(out long n) ? n : 0;
    }

    public Task<long> NextAsync(string boardId, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringIncrementAsync(Key(boardId)).WaitAsync(cancellationToken);

    public Task KeepAsync(BoardSnapshot pushed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pushed);
        return redis.GetDatabase().StringSetAsync(KeptKey(pushed.BoardId), JsonSerializer.SerializeToUtf8Bytes(pushed, json), KeptFor).WaitAsync(cancellationToken);
    }

    public async Task<BoardSnapshot?> PushedAsync(string boardId, long seq, CancellationToken cancellationToken)
    {
        var kept = await redis.GetDatabase().StringGetAsync(KeptKey(boardId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (kept.IsNullOrEmpty)
        {
            return null;
        }

        var board = JsonSerializer.Deserialize<BoardSnapshot>((byte[])kept!, json);
        return board?.Seq == seq ? board : null;
    }

    private RedisKey Key(string boardId) => keyPrefix + "board-push:" + boardId;

    private RedisKey KeptKey(string boardId) => keyPrefix + "board-pushed:" + boardId;
}
