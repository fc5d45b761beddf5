using Driftvy.Web.Infrastructure;

namespace Driftvy.Web.Reports.Digest;

/// <summary>The morning steering digest. Section <c>Reports:Digest</c>.</summary>
public sealed class DigestOptions
{
    public const string SectionName = "Reports:Digest";

    /// <summary>Send the digest on a schedule.</summary>
    public bool Enabled { get; set; }

    /// <summary>Stockholm wall-clock time from which the digest is sent on working days (kept clear of the 02:00–03:00 clock change).</summary>
    public TimeSpan At { get; set; } = new(6, 30, 0);

    /// <summary>Who receives it (plain addresses).</summary>
    public IList<string> Recipients { get; set; } = [];

    /// <summary>Sender address.</summary>
    public string From { get; set; } = "driftvy@localhost";

    /// <summary>SMTP server (STARTTLS when offered).</summary>
    public string SmtpHost { get; set; } = string.Empty;

    public int SmtpPort { get; set; } = 25;

    /// <summary>Queues to include (ids); empty: every queue.</summary>
    public IList<string> Queues { get; set; } = [];

    /// <summary>Teams to include (ids); empty: every team.</summary>
    public IList<string> Teams { get; set; } = [];

    internal static string? Problem(DigestOptions o)
    {
        if (o.At < TimeSpan.FromHours(3) || o.At >= TimeSpan.FromHours(24))
        {
            return "Reports:Digest:At must lie between 03:00:00 and 23:59:59 (Stockholm time; the night's clock change lies before).";
        }

        if (!o.Enabled)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(o.SmtpHost) || o.SmtpPort is < 1 or > 65535)
        {
            return "Reports:Digest:SmtpHost and SmtpPort (1–65535) are required when the digest is enabled.";
        }

        if (o.Recipients.Count == 0)
        {
            return "Reports:Digest:Recipients must name at least one address when the digest is enabled.";
        }

        return new[] { o.From }.Concat(o.Recipients).FirstOrDefault(a => !PlainMailbox.IsValid(a)) is { } bad
            ? $"Reports:Digest: '{bad}' is not one plain e-mail address."
            : null;
    }
}
