using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Sources.QueueLog;

/// <summary>
/// How far a queue_log source has been read and the calls it left open, written in the same transaction as the calls
/// it ended: after a crash or a restart the reader resumes exactly where the stored facts stop.
/// </summary>
public sealed class QueueLogPosition
{
    public required string Source { get; set; }

    /// <summary>The reader's state as JSON (file fingerprint, byte offset, line, open calls without caller numbers, members).</summary>
    public required string StateJson { get; set; }

    public long UpdatedAtMs { get; set; }

    internal static void Configure(ModelBuilder modelBuilder)
    {
        var p = modelBuilder.Entity<QueueLogPosition>();
        p.ToTable("queue_log_positions");
        p.HasKey(x => x.Source).HasName("pk_queue_log_positions");
        p.Property(x => x.Source).HasColumnName("source").HasMaxLength(64);
        p.Property(x => x.StateJson).HasColumnName("state_json");
        p.Property(x => x.UpdatedAtMs).HasColumnName("updated_at_ms");
    }
}
