namespace Driftvy.Domain.Contacts;

/// <summary>The channel a contact arrived through.</summary>
public enum Channel
{
    Phone,
    Email,
    Chat,
}

/// <summary>
/// One contact (call, e-mail, chat) as the telephony platform or case system reports it.
/// Timestamps carry their offset; a contact belongs to the local day in which it was offered.
/// </summary>
/// <param name="ContactId">The source system's id; the idempotency key.</param>
/// <param name="Channel">phone, email or chat.</param>
/// <param name="Queue">Queue id (e.g. <c>kc-stockholm</c>).</param>
/// <param name="OfferedAt">When the contact entered the queue.</param>
/// <param name="AnsweredAt">When an agent took it; null if never answered.</param>
/// <param name="AbandonedAt">When the caller gave up; null if answered or still waiting.</param>
/// <param name="EndedAt">When the handling ended (answered contacts).</param>
/// <param name="ResolvedFirstContact">The agent's first-contact-resolution flag, when recorded.</param>
public sealed record ContactRecord(
    string ContactId,
    Channel Channel,
    string Queue,
    DateTimeOffset OfferedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? AbandonedAt,
    DateTimeOffset? EndedAt,
    bool? ResolvedFirstContact)
{
    /// <summary>Answered contacts: answered_at − offered_at. Abandoned: abandoned_at − offered_at.</summary>
    public TimeSpan? Wait =>
        AnsweredAt is { } a ? a - OfferedAt :
        AbandonedAt is { } b ? b - OfferedAt :
        null;

    /// <summary>ended_at − answered_at for answered contacts that have ended.</summary>
    public TimeSpan? HandleTime => AnsweredAt is { } a && EndedAt is { } e ? e - a : null;

    public bool IsAnswered => AnsweredAt is not null;

    public bool IsAbandoned => AnsweredAt is null && AbandonedAt is not null;

    /// <summary>
    /// The caller's number as the source delivered it, when it did. It is never stored or shown in clear:
    /// the fact store keeps only a keyed hash (to recognise a caller who rings again) and a masked form.
    /// </summary>
    public string? CallerNumber { get; init; }

    /// <summary>
    /// The caller's keyed hash when the source kept only that (a queue_log call whose start was read in an earlier piece
    /// of the log): stored as it is when <see cref="CallerNumber"/> is absent.
    /// </summary>
    public string? CallerHash { get; init; }

    /// <summary>The masked number that goes with <see cref="CallerHash"/>.</summary>
    public string? CallerMask { get; init; }
}
