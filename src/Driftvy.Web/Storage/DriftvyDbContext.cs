using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Storage;

/// <summary>The durable store of facts (SQLite by default, PostgreSQL when configured).</summary>
public sealed class DriftvyDbContext(DbContextOptions<DriftvyDbContext> options) : DbContext(options)
{
    public DbSet<ContactFact> Contacts => Set<ContactFact>();

    public DbSet<CaseFact> Cases => Set<CaseFact>();

    public DbSet<VolumeFact> Volumes => Set<VolumeFact>();

    public DbSet<StaffingFact> Staffing => Set<StaffingFact>();

    public DbSet<QueueSnapshotFact> QueueSnapshots => Set<QueueSnapshotFact>();

    public DbSet<IngestBatch> IngestBatches => Set<IngestBatch>();

    public DbSet<IngestAudit> IngestAudit => Set<IngestAudit>();

    public DbSet<RegisteredUnit> RegisteredUnits => Set<RegisteredUnit>();

    public DbSet<SourceWatermark> SourceWatermarks => Set<SourceWatermark>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

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
        IngestionModel.Configure(modelBuilder);
    }
}
