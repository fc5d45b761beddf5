namespace Driftvy.Web.Aggregates;

/// <summary>Whether the aggregates can be shown: screens say "rebuilding" instead of showing partial numbers.</summary>
public enum AggregateState
{
    Rebuilding,
    Ready,
}

/// <summary>
/// Process-wide readiness of the aggregates; polls wait for it before folding new facts. Also records
/// an outage: while the store cannot be written, facts are still stored and the aggregates are
/// "behind" until a catch-up from the facts succeeds.
/// </summary>
public sealed class AggregateStatus
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private volatile int _rebuilds = 1;
    private DateTimeOffset? _behindSince;
    private string? _lastError;

    public AggregateState State => _rebuilds > 0 ? AggregateState.Rebuilding : AggregateState.Ready;

    /// <summary>Completes once the start-up catch-up has finished.</summary>
    public Task WhenReady => _ready.Task;

    /// <summary>True while stored facts wait to be folded because the store could not be written.</summary>
    public bool Behind
    {
        get
        {
            lock (_gate)
            {
                return _behindSince is not null;
            }
        }
    }

    /// <summary>When the current outage began (the first failed fold); null when the store is in step.</summary>
    public DateTimeOffset? BehindSince
    {
        get
        {
            lock (_gate)
            {
                return _behindSince;
            }
        }
    }

    /// <summary>The error of the last failed fold of the current outage.</summary>
    public string? LastError
    {
        get
        {
            lock (_gate)
            {
                return _lastError;
            }
        }
    }

    internal void BeginRebuild() => Interlocked.Increment(ref _rebuilds);

    internal void EndRebuild()
    {
        if (Interlocked.Decrement(ref _rebuilds) <= 0)
        {
            _ready.TrySetResult();
        }
    }

    internal void MarkBehind(DateTimeOffset at, string error)
    {
        lock (_gate)
        {
            _behindSince ??= at;
            _lastError = error;
        }
    }

    internal void MarkInStep()
    {
        lock (_gate)
        {
            _behindSince = null;
            _lastError = null;
        }
    }
}
