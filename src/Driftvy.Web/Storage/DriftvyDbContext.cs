using Driftvy.Web.Reports.Snapshots;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Storage;

/// <summary>The durable store of facts (SQLite by default, PostgreSQL when configured).</summary>
public sealed class DriftvyDbContext(DbContextOptions<DriftvyDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<ContactFact> Contacts => Set<ContactFact>();

    public DbSet<History.ContactTallyRow> ContactTallies => Set<History.ContactTallyRow>();

    public DbSet<Alerts.AlertLogEntry> AlertLog => Set<Alerts.AlertLogEntry>();

    public DbSet<Security.UserAccount> Users => Set<Security.UserAccount>();

    public DbSet<Security.AuditEntry> Audit => Set<Security.AuditEntry>();

    public DbSet<CaseFact> Cases => Set<CaseFact>();

    public DbSet<VolumeFact> Volumes => Set<VolumeFact>();

    public DbSet<StaffingFact> Staffing => Set<StaffingFact>();

    public DbSet<QueueSnapshotFact> QueueSnapshots => Set<QueueSnapshotFact>();

    public DbSet<IngestBatch> IngestBatches => Set<IngestBatch>();

    public DbSet<IngestAudit> IngestAudit => Set<IngestAudit>();

    public DbSet<RegisteredUnit> RegisteredUnits => Set<RegisteredUnit>();

    public DbSet<SourceWatermark> SourceWatermarks => Set<SourceWatermark>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<ReportSnapshot> ReportSnapshots => Set<ReportSnapshot>();

    public DbSet<ReportSnapshotFile> ReportSnapshotFiles => Set<ReportSnapshotFile>();

    public DbSet<Admin.AdminSetting> AdminSettings => Set<Admin.AdminSetting>();

    public DbSet<Sources.QueueLog.QueueLogPosition> QueueLogPositions => Set<Sources.QueueLog.QueueLogPosition>();

    /// <summary>The Data Protection key ring every instance shares (see <see cref="Cluster.SharedKeyRing"/>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var contact = modelBuilder.Entity<ContactFact>();
        contact.ToTable("contacts");
        contact.HasKey(c => c.Seq);
        contact.Property(c => c.Seq).HasColumnName("seq").ValueGeneratedOnAdd();
        contact.Property(c => c.ContactId).HasColumnName("contact_id").HasMaxLength(128);
        contact.Property(c => c.Source).HasColumnName("source").HasMaxLength(64);
        contact.Property(c => c.Channel).HasColumnName("channel");
        contact.Property(c => c.Queue).HasColumnName("queue").HasMaxLength(64);
        contact.Property(c => c.OfferedAtMs).HasColumnName("offered_at_ms");
        contact.Property(c => c.AnsweredAtMs).HasColumnName("answered_at_ms");
        contact.Property(c => c.AbandonedAtMs).HasColumnName("abandoned_at_ms");
        contact.Property(c => c.EndedAtMs).HasColumnName("ended_at_ms");
        contact.Property(c => c.ResolvedFirstContact).HasColumnName("resolved_first_contact");
        contact.Property(c => c.ReceivedAtMs).HasColumnName("received_at_ms");
        contact.Property(c => c.CallerHash).HasColumnName("caller_hash").HasMaxLength(64);
        contact.Property(c => c.CallerMasked).HasColumnName("caller_masked").HasMaxLength(32);
        contact.HasIndex(c => c.ContactId).IsUnique().HasDatabaseName("ux_contacts_contact_id");
        contact.HasIndex(c => new { c.Queue, c.OfferedAtMs }).HasDatabaseName("ix_contacts_queue_offered");

        var tally = modelBuilder.Entity<History.ContactTallyRow>();
        tally.ToTable("contact_tallies");
        tally.HasKey(t => new { t.Span, t.Queue, t.StartMs });
        tally.Property(t => t.Span).HasColumnName("span");
        tally.Property(t => t.Queue).HasColumnName("queue").HasMaxLength(64);
        tally.Property(t => t.StartMs).HasColumnName("start_ms");
        tally.Property(t => t.Tally).HasColumnName("tally");

        var alert = modelBuilder.Entity<Alerts.AlertLogEntry>();
        alert.ToTable("alert_log");
        alert.HasKey(a => a.Id);
        alert.Property(a => a.Id).HasColumnName("id").HasMaxLength(32);
        alert.Property(a => a.RuleId).HasColumnName("rule_id");
        alert.Property(a => a.Name).HasColumnName("name");
        alert.Property(a => a.Severity).HasColumnName("severity");
        alert.Property(a => a.Queue).HasColumnName("queue");
        alert.Property(a => a.Team).HasColumnName("team");
        alert.Property(a => a.FiredAtMs).HasColumnName("fired_at_ms");
        alert.Property(a => a.Value).HasColumnName("value");
        alert.Property(a => a.AcknowledgedAtMs).HasColumnName("acknowledged_at_ms");
        alert.Property(a => a.AcknowledgedBy).HasColumnName("acknowledged_by");
        alert.Property(a => a.AcknowledgeComment).HasColumnName("acknowledge_comment");
        alert.Property(a => a.ResolvedAtMs).HasColumnName("resolved_at_ms");
        alert.Property(a => a.Refires).HasColumnName("refires");

        var user = modelBuilder.Entity<Security.UserAccount>();
        user.ToTable("users");
        user.HasKey(u => u.Id);
        user.Property(u => u.Id).HasColumnName("id").ValueGeneratedOnAdd();
        user.Property(u => u.Username).HasColumnName("username").HasMaxLength(128);
        user.Property(u => u.PasswordHash).HasColumnName("password_hash").HasMaxLength(256);
        user.Property(u => u.Role).HasColumnName("role").HasMaxLength(32);
        user.Property(u => u.Scope).HasColumnName("scope").HasMaxLength(512);
        user.Property(u => u.FailedSignIns).HasColumnName("failed_sign_ins");
        user.Property(u => u.LockedUntilMs).HasColumnName("locked_until_ms");
        user.Property(u => u.CreatedAtMs).HasColumnName("created_at_ms");
        user.Property(u => u.Disabled).HasColumnName("disabled");
        user.Property(u => u.SecurityStamp).HasColumnName("security_stamp").HasMaxLength(64);
        user.HasIndex(u => u.Username).IsUnique().HasDatabaseName("ux_users_username");

        var audit = modelBuilder.Entity<Security.AuditEntry>();
        audit.ToTable("audit");
        audit.HasKey(a => a.Id);
        audit.Property(a => a.Id).HasColumnName("id").ValueGeneratedOnAdd();
        audit.Property(a => a.AtMs).HasColumnName("at_ms");
        audit.Property(a => a.Actor).HasColumnName("actor");
        audit.Property(a => a.Action).HasColumnName("action");
        audit.Property(a => a.Entity).HasColumnName("entity");
        audit.Property(a => a.EntityId).HasColumnName("entity_id");
        audit.Property(a => a.OldValue).HasColumnName("old_value");
        audit.Property(a => a.NewValue).HasColumnName("new_value");
        IngestionModel.Configure(modelBuilder);
        Admin.AdminSetting.Configure(modelBuilder);
        Alerts.State.AlertStorage.Configure(modelBuilder);
        Cluster.SharedKeyRing.Configure(modelBuilder);
        Sources.QueueLog.QueueLogPosition.Configure(modelBuilder);
        Reports.Digest.DigestRow.Configure(modelBuilder);
        var snapshot = modelBuilder.Entity<ReportSnapshot>();
        snapshot.ToTable("report_snapshots");
        snapshot.HasKey(s => s.Id);
        snapshot.Property(s => s.Id).HasColumnName("id").ValueGeneratedOnAdd();
        snapshot.Property(s => s.Kind).HasColumnName("kind").HasMaxLength(16);
        snapshot.Property(s => s.Year).HasColumnName("year");
        snapshot.Property(s => s.Period).HasColumnName("period").HasMaxLength(8);
        snapshot.Property(s => s.FrozenAtMs).HasColumnName("frozen_at_ms");
        snapshot.Property(s => s.KpiVersions).HasColumnName("kpi_versions");
        snapshot.Property(s => s.InputChecksums).HasColumnName("input_checksums");
        snapshot.Property(s => s.Document).HasColumnName("document");
        snapshot.HasIndex(s => new { s.Kind, s.Year, s.Period }).IsUnique().HasDatabaseName("ux_report_snapshots_kind_year_period");
        var file = modelBuilder.Entity<ReportSnapshotFile>();
        file.ToTable("report_snapshot_files");
        file.HasKey(f => f.Id);
        file.Property(f => f.Id).HasColumnName("id").ValueGeneratedOnAdd();
        file.Property(f => f.SnapshotId).HasColumnName("snapshot_id");
        file.Property(f => f.Format).HasColumnName("format").HasMaxLength(8);
        file.Property(f => f.Content).HasColumnName("content");
        file.Property(f => f.Sha256).HasColumnName("sha256").HasMaxLength(64);
        file.HasIndex(f => new { f.SnapshotId, f.Format }).IsUnique().HasDatabaseName("ux_report_snapshot_files_snapshot_format");
        snapshot.HasMany(s => s.Files).WithOne().HasForeignKey(f => f.SnapshotId).HasConstraintName("fk_report_snapshot_files_snapshot").OnDelete(DeleteBehavior.Cascade);
    }
}
