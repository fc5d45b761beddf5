namespace Driftvy.Web.Aggregates;

/// <summary>Told after every aggregate update (e.g. alert evaluation), right after the screens are.</summary>
public interface IAggregateObserver
{
    Task AggregatesChangedAsync(CancellationToken cancellationToken);
}
