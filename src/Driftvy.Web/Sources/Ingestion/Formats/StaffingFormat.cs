using Driftvy.Domain.BackOffice;

namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary><c>month (YYYY-MM), team, fte</c>: a team's full-time equivalents in a month.</summary>
internal sealed class StaffingFormat : IRecordFormat<MonthlyStaffing>
{
    public static readonly StaffingFormat Instance = new();

    public IngestKind Kind => IngestKind.Staffing;

    public IReadOnlyList<ColumnSpec> Columns { get; } = [new("month"), new("team"), new("fte")];

    public MonthlyStaffing? Map(RowReader row)
    {
        var month = row.Month(0);
        var team = row.Team(1);
        var fte = row.Decimal(2, required: true, min: 0, max: 10_000, what: "FTE");
        return row.HasErrors ? null : new MonthlyStaffing(month!.Value.Year, month.Value.Month, team!, fte!.Value);
    }
}
