using Driftvy.Domain.Contacts;

namespace Driftvy.Web.Sources.Telephony;

/// <summary>
/// A telephony platform seen from Driftvy: each poll returns the contacts that have left a queue
/// since the previous poll (answered or abandoned) and the queues' live state now.
/// </summary>
public interface ITelephonySource
{
    /// <summary>Stable id used for health, watermarks and logs (e.g. <c>simulator</c>).</summary>
    string Id { get; }

    Task<TelephonyPoll> PollAsync(CancellationToken cancellationToken);
}

/// <summary>What one poll of a telephony source returned.</summary>
public sealed record TelephonyPoll(
    DateTimeOffset At,
    IReadOnlyList<ContactRecord> Contacts,
    IReadOnlyList<QueueSnapshot> Snapshots);
