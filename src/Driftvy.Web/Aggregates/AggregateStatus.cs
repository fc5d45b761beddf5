namespace Driftvy.Web.Aggregates;

/// <summary>Whether the aggregates can be shown: screens say "rebuilding" instead of showing partial numbers.</summary>
public enum AggregateState
{
    Rebuilding,
    Ready,
}

/// <summary>Process-wide readiness of the aggregates; polls wait for it before folding new facts.</summary>
public sealed class AggregateStatus
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _rebuilds = 1;

    public AggregateState State => _rebuilds > 0 ? AggregateState.Rebuilding : AggregateState.Ready;

    /// <summary>Completes once the start-up catch-up has finished.</summary>
    public Task WhenReady => _ready.Task;

    internal void BeginRebuild() => Interlocked.Increment(ref _rebuilds);

    internal void EndRebuild()
    {
        if (Interlocked.Decrement(ref _rebuilds) <= 0)
        {
            _ready.TrySetResult();
        }
    }
}
