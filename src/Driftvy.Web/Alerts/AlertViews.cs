namespace Driftvy.Web.Alerts;

/// <summary>An alert as screens and the API show it.</summary>
/// <param name="Id">Incident id (acknowledge with it).</param>
/// <param name="RuleId">Rule that fired.</param>
/// <param name="Name">What is wrong, in Swedish.</param>
/// <param name="Severity"><c>info</c>, <c>warning</c> or <c>critical</c>.</param>
/// <param name="Queue">Queue concerned, if any.</param>
/// <param name="Value">Last measured value.</param>
/// <param name="FiredAt">When it fired.</param>
/// <param name="AcknowledgedAt">When someone took it; null if nobody has.</param>
/// <param name="AcknowledgedBy">Who took it.</param>
/// <param name="AcknowledgeComment">What they said.</param>
/// <param name="ResolvedAt">When it cleared; null while open.</param>
/// <param name="Refires">How often it came back after clearing.</param>
public sealed record AlertView(
    Guid Id, string RuleId, string Name, string Severity, string? Queue, double? Value, DateTimeOffset FiredAt,
    DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy, string? AcknowledgeComment, DateTimeOffset? ResolvedAt, int Refires)
{
    public static AlertView From(AlertIncident i)
    {
        ArgumentNullException.ThrowIfNull(i);
        return new(i.Id, i.Rule.Id, i.Rule.Name, i.Rule.Severity.ToString().ToLowerInvariant(), i.Rule.Queue, i.Value, i.FiredAt,
            i.AcknowledgedAt, i.AcknowledgedBy, i.AcknowledgeComment, i.ResolvedAt, i.Refires);
    }
}

/// <summary>Pushes the open alerts to the screens that show the queues concerned.</summary>
public interface IAlertBroadcaster
{
    Task BroadcastAsync(IReadOnlyList<AlertIncident> open, IReadOnlyList<AlertEvent> changes, CancellationToken cancellationToken);
}
