using Driftvy.Web.Sources.Telephony;

namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary><c>at, queue, waiting, longest_wait_s, agents_available, agents_busy, agents_away</c>.</summary>
internal sealed class SnapshotFormat : IRecordFormat<QueueSnapshot>
{
    public static readonly SnapshotFormat Instance = new();

    public IngestKind Kind => IngestKind.Snapshots;

    public IReadOnlyList<ColumnSpec> Columns { get; } =
        [new("at"), new("queue"), new("waiting"), new("longest_wait_s"), new("agents_available"), new("agents_busy"), new("agents_away")];

    public QueueSnapshot? Map(RowReader row)
    {
        var at = row.Timestamp(0, required: true);
        var queue = row.Queue(1);
        var waiting = row.Int(2, required: true, what: "count");
        var longest = row.Int(3, required: true, what: "wait");
        var available = row.Int(4, required: true, what: "count");
        var busy = row.Int(5, required: true, what: "count");
        var away = row.Int(6, required: true, what: "count");
        return row.HasErrors ? null : new QueueSnapshot(at!.Value, queue!, waiting!.Value, longest!.Value, available!.Value, busy!.Value, away!.Value);
    }
}
