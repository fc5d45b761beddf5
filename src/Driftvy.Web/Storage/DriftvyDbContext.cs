using Driftvy.Web.Reports.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Storage;

/// <summary>The durable store of facts (SQLite by default, PostgreSQL when configured).</summary>
public sealed class DriftvyDbContext(DbContextOptions<DriftvyDbContext> options) : DbContext(options)
{
    public DbSet<ContactFact> Contacts => Set<ContactFact>();

    public DbSet<ReportSnapshot> ReportSnapshots => Set<ReportSnapshot>();

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
    }
}
