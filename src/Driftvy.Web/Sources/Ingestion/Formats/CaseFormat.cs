using Driftvy.Domain.BackOffice;

namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary><c>case_id, team, kind, opened_at, closed_at, promised_days</c>.</summary>
internal sealed class CaseFormat : IRecordFormat<CaseRecord>
{
    public static readonly CaseFormat Instance = new();

    public IngestKind Kind => IngestKind.Cases;

    public IReadOnlyList<ColumnSpec> Columns { get; } =
        [new("case_id", TextOnly: true), new("team"), new("kind"), new("opened_at"), new("closed_at"), new("promised_days")];

    public CaseRecord? Map(RowReader row)
    {
        var id = row.Text(0, required: true);
        var team = row.Team(1);
        var kind = row.Text(2, required: true);
        var opened = row.Timestamp(3, required: true);
        var closed = row.Timestamp(4, required: false);
        var promised = row.Int(5, required: false, min: 0, max: 3650, what: "promised lead time");
        if (closed < opened)
        {
            row.Error(4, $"closed before it was opened ({row.Raw(4)} < {row.Raw(3)})");
        }

        return row.HasErrors ? null : new CaseRecord(id!, team!, kind!, opened!.Value, closed, promised);
    }
}
