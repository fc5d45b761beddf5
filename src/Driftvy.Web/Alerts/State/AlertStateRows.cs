using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Alerts.State;

/// <summary>One rule's state as every instance sees it (table <c>alert_states</c>): pending since, its current incident.</summary>
public sealed class AlertStateRow
{
    public required string RuleId { get; set; }

    /// <summary>The rule as it was when its incident fired (JSON), so an incident outlives an edit or removal of its rule.</summary>
    public string? RuleJson { get; set; }

    public long? PendingSinceMs { get; set; }

    public string? IncidentId { get; set; }

    public long? FiredAtMs { get; set; }

    public double? Value { get; set; }

    public long? AcknowledgedAtMs { get; set; }

    public string? AcknowledgedBy { get; set; }

    public string? AcknowledgeComment { get; set; }

    public long? ResolvedAtMs { get; set; }

    public int Refires { get; set; }

    public long? LastNotifiedAtMs { get; set; }

    /// <summary>Raised by every change (an evaluation or an acknowledgement); a write that read an older version is refused.</summary>
    public long Version { get; set; }
}

/// <summary>
/// One notification to one channel (table <c>alert_notifications</c>), under its stable key: inserted in the
/// transaction that stores the state change it reports, so it exists once however many instances evaluate.
/// </summary>
public sealed class AlertNotificationRow
{
    public required string Key { get; set; }

    public required string IncidentId { get; set; }

    public required string RuleId { get; set; }

    public required string Channel { get; set; }

    public required string Kind { get; set; }

    /// <summary><c>pending</c>, <c>sent</c> or <c>failed</c>.</summary>
    public required string Status { get; set; }

    public long CreatedAtMs { get; set; }

    public long? FinishedAtMs { get; set; }

    /// <summary>Why it failed (after every retry), at most 300 characters.</summary>
    public string? Error { get; set; }

    /// <summary>What to send (the event and the incident as they stood), so any instance can send it.</summary>
    public string? Payload { get; set; }

    /// <summary>The instance sending it, until <see cref="ClaimedUntilMs"/>; after that another may.</summary>
    public string? ClaimedBy { get; set; }

    public long? ClaimedUntilMs { get; set; }

    /// <summary>How many times it was claimed (1: by the instance that decided it).</summary>
    public int Claims { get; set; }
}

/// <summary>
/// The picture an alert notification carries (table <c>alert_images</c>), stored with the notifications in the
/// transaction that decided them, so the e-mail and the link in a Teams card show the same bytes, whichever instance
/// sends or serves them and however the data move afterwards.
/// </summary>
public sealed class AlertImageRow
{
    /// <summary>A hash of the event's notification key without its channel (see <c>AlertPictures.IdOf</c>).</summary>
    public required string Id { get; set; }

    public required string IncidentId { get; set; }

    public required byte[] Png { get; set; }

    public long CreatedAtMs { get; set; }
}

/// <summary>A lease (table <c>alert_leases</c>): who may evaluate the alert rules until when.</summary>
public sealed class AlertLeaseRow
{
    public required string Name { get; set; }

    public required string Holder { get; set; }

    public long ExpiresAtMs { get; set; }
}

internal static class AlertStorage
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        var s = modelBuilder.Entity<AlertStateRow>();
        s.ToTable("alert_states");
        s.HasKey(x => x.RuleId);
        s.Property(x => x.RuleId).HasColumnName("rule_id").HasMaxLength(256);
        s.Property(x => x.RuleJson).HasColumnName("rule_json");
        s.Property(x => x.PendingSinceMs).HasColumnName("pending_since_ms");
        s.Property(x => x.IncidentId).HasColumnName("incident_id").HasMaxLength(32);
        s.Property(x => x.FiredAtMs).HasColumnName("fired_at_ms");
        s.Property(x => x.Value).HasColumnName("value");
        s.Property(x => x.AcknowledgedAtMs).HasColumnName("acknowledged_at_ms");
        s.Property(x => x.AcknowledgedBy).HasColumnName("acknowledged_by").HasMaxLength(128);
        s.Property(x => x.AcknowledgeComment).HasColumnName("acknowledge_comment").HasMaxLength(1000);
        s.Property(x => x.ResolvedAtMs).HasColumnName("resolved_at_ms");
        s.Property(x => x.Refires).HasColumnName("refires");
        s.Property(x => x.LastNotifiedAtMs).HasColumnName("last_notified_at_ms");
        s.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
        s.HasIndex(x => x.IncidentId).HasDatabaseName("ix_alert_states_incident");

        var n = modelBuilder.Entity<AlertNotificationRow>();
        n.ToTable("alert_notifications");
        n.HasKey(x => x.Key);
        n.Property(x => x.Key).HasColumnName("key").HasMaxLength(512);
        n.Property(x => x.IncidentId).HasColumnName("incident_id").HasMaxLength(32);
        n.Property(x => x.RuleId).HasColumnName("rule_id").HasMaxLength(256);
        n.Property(x => x.Channel).HasColumnName("channel").HasMaxLength(128);
        n.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(16);
        n.Property(x => x.Status).HasColumnName("status").HasMaxLength(16);
        n.Property(x => x.CreatedAtMs).HasColumnName("created_at_ms");
        n.Property(x => x.FinishedAtMs).HasColumnName("finished_at_ms");
        n.Property(x => x.Error).HasColumnName("error").HasMaxLength(300);
        n.Property(x => x.Payload).HasColumnName("payload");
        n.Property(x => x.ClaimedBy).HasColumnName("claimed_by").HasMaxLength(128);
        n.Property(x => x.ClaimedUntilMs).HasColumnName("claimed_until_ms");
        n.Property(x => x.Claims).HasColumnName("claims");
        n.HasIndex(x => new { x.Status, x.CreatedAtMs }).HasDatabaseName("ix_alert_notifications_status_created");

        var i = modelBuilder.Entity<AlertImageRow>();
        i.ToTable("alert_images");
        i.HasKey(x => x.Id).HasName("pk_alert_images");
        i.Property(x => x.Id).HasColumnName("id").HasMaxLength(64);
        i.Property(x => x.IncidentId).HasColumnName("incident_id").HasMaxLength(32);
        i.Property(x => x.Png).HasColumnName("png");
        i.Property(x => x.CreatedAtMs).HasColumnName("created_at_ms");
        i.HasIndex(x => x.CreatedAtMs).HasDatabaseName("ix_alert_images_created");

        var l = modelBuilder.Entity<AlertLeaseRow>();
        l.ToTable("alert_leases");
        l.HasKey(x => x.Name);
        l.Property(x => x.Name).HasColumnName("name").HasMaxLength(64);
        l.Property(x => x.Holder).HasColumnName("holder").HasMaxLength(128);
        l.Property(x => x.ExpiresAtMs).HasColumnName("expires_at_ms");
    }
}
