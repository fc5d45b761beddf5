using Driftvy.Domain.BackOffice;

namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary><c>date, team, kind, count</c>: a team's produced volume on a Stockholm day.</summary>
internal sealed class VolumeFormat : IRecordFormat<DailyVolume>
{
    public static readonly VolumeFormat Instance = new();

    public IngestKind Kind => IngestKind.Volumes;

    public IReadOnlyList<ColumnSpec> Columns { get; } = [new("date"), new("team"), new("kind"), new("count")];

    public DailyVolume? Map(RowReader row)
    {
        var date = row.Date(0);
        var team = row.Team(1);
        var kind = row.Code(2);
        var count = row.Long(3, required: true, min: 0, max: 100_000_000, what: "count");
        return row.HasErrors ? null : new DailyVolume(date!.Value, team!, kind!, count!.Value);
    }
}
