using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Storage;

/// <summary>Table mapping of the ingestion facts (cases, volumes, staffing, snapshots) and their bookkeeping.</summary>
internal static class IngestionModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        var c = modelBuilder.Entity<CaseFact>();
        c.ToTable("cases");
        c.HasKey(x => x.CaseId).HasName("pk_cases");
        c.Property(x => x.CaseId).HasColumnName("case_id").HasMaxLength(128);
        c.Property(x => x.Source).HasColumnName("source").HasMaxLength(64);
        c.Property(x => x.Team).HasColumnName("team").HasMaxLength(64);
        c.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(128);
        c.Property(x => x.OpenedAtMs).HasColumnName("opened_at_ms");
        c.Property(x => x.ClosedAtMs).HasColumnName("closed_at_ms");
        c.Property(x => x.PromisedDays).HasColumnName("promised_days");
        c.Property(x => x.ReceivedAtMs).HasColumnName("received_at_ms");
        c.HasIndex(x => new { x.Team, x.OpenedAtMs }).HasDatabaseName("ix_cases_team_opened");

        var v = modelBuilder.Entity<VolumeFact>();
        v.ToTable("daily_volumes");
        v.HasKey(x => new { x.Date, x.Team, x.Kind }).HasName("pk_daily_volumes");
        v.Property(x => x.Date).HasColumnName("date");
        v.Property(x => x.Team).HasColumnName("team").HasMaxLength(64);
        v.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(64);
        v.Property(x => x.Count).HasColumnName("count");
        v.Property(x => x.Source).HasColumnName("source").HasMaxLength(64);
        v.Property(x => x.UpdatedAtMs).HasColumnName("updated_at_ms");

        var s = modelBuilder.Entity<StaffingFact>();
        s.ToTable("monthly_staffing");
        s.HasKey(x => new { x.Year, x.Month, x.Team }).HasName("pk_monthly_staffing");
        s.Property(x => x.Year).HasColumnName("year");
        s.Property(x => x.Month).HasColumnName("month");
        s.Property(x => x.Team).HasColumnName("team").HasMaxLength(64);
        s.Property(x => x.Fte).HasColumnName("fte").HasPrecision(9, 3);
        s.Property(x => x.Source).HasColumnName("source").HasMaxLength(64);
        s.Property(x => x.UpdatedAtMs).HasColumnName("updated_at_ms");

        var q = modelBuilder.Entity<QueueSnapshotFact>();
        q.ToTable("queue_snapshots");
        q.HasKey(x => new { x.Queue, x.AtMs }).HasName("pk_queue_snapshots");
        q.Property(x => x.Queue).HasColumnName("queue").HasMaxLength(64);
        q.Property(x => x.AtMs).HasColumnName("at_ms");
        q.Property(x => x.Waiting).HasColumnName("waiting");
        q.Property(x => x.LongestWaitSeconds).HasColumnName("longest_wait_s");
        q.Property(x => x.AgentsAvailable).HasColumnName("agents_available");
        q.Property(x => x.AgentsBusy).HasColumnName("agents_busy");
        q.Property(x => x.AgentsAway).HasColumnName("agents_away");
        q.Property(x => x.Source).HasColumnName("source").HasMaxLength(64);
        q.Property(x => x.ReceivedAtMs).HasColumnName("received_at_ms");

        var b = modelBuilder.Entity<IngestBatch>();
        b.ToTable("ingest_batches");
        b.HasKey(x => x.Id).HasName("pk_ingest_batches");
        b.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
        b.Property(x => x.Source).HasColumnName("source").HasMaxLength(64);
        b.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(32);
        b.Property(x => x.Origin).HasColumnName("origin").HasMaxLength(260);
        b.Property(x => x.ContentSha256).HasColumnName("content_sha256").HasMaxLength(64);
        b.Property(x => x.ReceivedAtMs).HasColumnName("received_at_ms");
        b.Property(x => x.Rows).HasColumnName("rows");
        b.Property(x => x.Accepted).HasColumnName("accepted");
        b.Property(x => x.Updated).HasColumnName("updated");
        b.Property(x => x.Duplicates).HasColumnName("duplicates");

        var a = modelBuilder.Entity<IngestAudit>();
        a.ToTable("ingest_audit");
        a.HasKey(x => x.Id).HasName("pk_ingest_audit");
        a.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
        a.Property(x => x.BatchId).HasColumnName("batch_id");
        a.Property(x => x.Entity).HasColumnName("entity").HasMaxLength(32);
        a.Property(x => x.EntityKey).HasColumnName("entity_key").HasMaxLength(256);
        a.Property(x => x.OldValue).HasColumnName("old_value");
        a.Property(x => x.NewValue).HasColumnName("new_value");
        a.Property(x => x.Source).HasColumnName("source").HasMaxLength(64);
        a.Property(x => x.ChangedAtMs).HasColumnName("changed_at_ms");

        var u = modelBuilder.Entity<RegisteredUnit>();
        u.ToTable("registered_units");
        u.HasKey(x => new { x.UnitKind, x.UnitId }).HasName("pk_registered_units");
        u.Property(x => x.UnitKind).HasColumnName("unit_kind").HasMaxLength(16);
        u.Property(x => x.UnitId).HasColumnName("unit_id").HasMaxLength(64);
        u.Property(x => x.Source).HasColumnName("source").HasMaxLength(64);
        u.Property(x => x.FirstSeenAtMs).HasColumnName("first_seen_at_ms");

        var w = modelBuilder.Entity<SourceWatermark>();
        w.ToTable("source_watermarks");
        w.HasKey(x => x.Source).HasName("pk_source_watermarks");
        w.Property(x => x.Source).HasColumnName("source").HasMaxLength(64);
        w.Property(x => x.Position).HasColumnName("position").HasMaxLength(256);
        w.Property(x => x.UpdatedAtMs).HasColumnName("updated_at_ms");

        var k = modelBuilder.Entity<ApiKey>();
        k.ToTable("api_keys");
        k.HasKey(x => x.Id).HasName("pk_api_keys");
        k.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
        k.Property(x => x.Source).HasColumnName("source").HasMaxLength(64);
        k.Property(x => x.KeyHash).HasColumnName("key_hash").HasMaxLength(64);
        k.Property(x => x.CreatedAtMs).HasColumnName("created_at_ms");
        k.Property(x => x.LastUsedAtMs).HasColumnName("last_used_at_ms");
        k.Property(x => x.RevokedAtMs).HasColumnName("revoked_at_ms");
        k.HasIndex(x => x.KeyHash).IsUnique().HasDatabaseName("ux_api_keys_key_hash");
    }
}
