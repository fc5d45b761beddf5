using System.Collections.Concurrent;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// Builds of a board under way, shared by every screen that joins meanwhile: after a failover a thousand screens
/// reconnect within a second, and a thousand simultaneous reads of the same buckets would time out on the store and
/// fail the joins. A build is not tied to the first screen's connection (if it goes away, the others still want the
/// snapshot); once it ends the next join builds anew.
/// </summary>
internal sealed class SharedBoardBuilds(Func<string, CancellationToken, Task<BoardSnapshot?>> build)
{
    private readonly ConcurrentDictionary<string, Task<BoardSnapshot?>> _running = new(StringComparer.Ordinal);

    public Task<BoardSnapshot?> JoinAsync(string boardId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(boardId);
        while (true)
        {
            if (_running.TryGetValue(boardId, out var running))
            {
                return running.WaitAsync(cancellationToken);
            }

            var started = new TaskCompletionSource<BoardSnapshot?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_running.TryAdd(boardId, started.Task))
            {
                continue;
            }

            _ = Task.Run(() => BuildAsync(boardId, started), CancellationToken.None);
            return started.Task.WaitAsync(cancellationToken);
        }
    }

    // The build leaves the table before its screens are woken, so a screen that joins again once it has its snapshot
    // starts a fresh build rather than being handed the one it already has.
    private async Task BuildAsync(string boardId, TaskCompletionSource<BoardSnapshot?> result)
    {
        BoardSnapshot? snapshot = null;
        Exception? failure = null;
        try
        {
            snapshot = await build(boardId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        _running.TryRemove(KeyValuePair.Create(boardId, result.Task));
        if (failure is null)
        {
            result.SetResult(snapshot);
        }
        else
        {
            result.SetException(failure);
        }
    }
}
