namespace Driftvy.Web.Reports;

/// <summary>
/// KF:s årsmål: the city council's target for the same indicator, printed next to the committee's own.
/// The targets file holds only the committee's targets, so the council's are listed here, as the plans
/// print them (a figure, or "Tas fram av nämnd" where the council leaves it to the committee). Like
/// <see cref="Driftvy.Domain.Targets.TargetSet.Find"/>, the latest year at or before the report's is used.
/// </summary>
public sealed class KfTargets
{
    // (kpi, year, text): from the plan and report tables (000:428-440 for 2026, 001:1128-2123 for 2023, 003:1104-1490 for 2015).
    private static readonly (string KpiId, int Year, string Text)[] Seeded =
    [
        ("active_co_creation_index", 2026, "82"),
        ("sick_leave", 2026, "Tas fram av nämnd"),
        ("sick_leave_day_1_14", 2026, "Tas fram av nämnd"),
        ("budget_adherence_before_transfers", 2023, "100"),
        ("forecast_accuracy_t2", 2023, "+/-1"),
        ("active_co_creation_index", 2023, "83"),
        ("sick_leave", 2023, "Tas fram av nämnd/styrelse"),
        ("sick_leave_day_1_14", 2023, "Tas fram av nämnd/styrelse"),
        ("kc_customer_satisfaction_overall", 2015, "tas fram av nämnden"),
        ("budget_adherence_before_transfers", 2015, "100"),
        ("forecast_accuracy_t2", 2015, "+/-1"),
        ("active_co_creation_index", 2015, "82"),
        ("sick_leave", 2015, "4.4"),
        ("sick_leave_day_1_14", 2015, "tas fram av nämnden"),
    ];

    private readonly IReadOnlyList<(string KpiId, int Year, string Text)> _targets;

    public KfTargets()
        : this(Seeded)
    {
    }

    public KfTargets(IReadOnlyList<(string KpiId, int Year, string Text)> targets) => _targets = targets;

    /// <summary>The council's target text for <paramref name="kpiId"/> in <paramref name="year"/>, or null when it sets none.</summary>
    public string? Find(string kpiId, int year) =>
        _targets.Where(t => t.KpiId == kpiId && t.Year <= year).OrderByDescending(t => t.Year).Select(t => t.Text).FirstOrDefault();
}
