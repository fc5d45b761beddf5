namespace Driftvy.Web.Storage;

/// <summary>
/// A contact as stored: the durable fact every aggregate is derived from. Instants are Unix
/// milliseconds (UTC) so that SQLite and PostgreSQL compare and index them the same way.
/// <see cref="Seq"/> is assigned on insert and lets an aggregate store say how far it has folded.
/// </summary>
public sealed class ContactFact
{
    public long Seq { get; set; }

    public required string ContactId { get; set; }

    public required string Source { get; set; }

    public int Channel { get; set; }

    public required string Queue { get; set; }

    public long OfferedAtMs { get; set; }

    public long? AnsweredAtMs { get; set; }

    public long? AbandonedAtMs { get; set; }

    public long? EndedAtMs { get; set; }

    public bool? ResolvedFirstContact { get; set; }

    public long ReceivedAtMs { get; set; }

    /// <summary>Keyed hash of the caller's number (never the number itself).</summary>
    public string? CallerHash { get; set; }

    /// <summary>The caller's number masked for display, e.g. <c>070-*** ** 67</c>.</summary>
    public string? CallerMasked { get; set; }
}
