namespace Driftvy.Web.Sources.Telephony;

/// <summary>
/// The live state of one queue as a telephony platform reports it at a moment: the canonical
/// "queue snapshot" record (<c>at, queue, waiting, longest_wait_s, agents_available, agents_busy, agents_away</c>).
/// </summary>
public sealed record QueueSnapshot(
    DateTimeOffset At,
    string Queue,
    int Waiting,
    int LongestWaitSeconds,
    int AgentsAvailable,
    int AgentsBusy,
    int AgentsAway);
