using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Web.Reports;

namespace Driftvy.Web.Tests.Reports;

/// <summary>
/// A frozen report records the checksums of its inputs, and a run years later compares against them: the canonical
/// form must never drift with a faster implementation. The expected values were computed by the first implementation.
/// </summary>
public sealed class ReportChecksumTests
{
    [Fact]
    public void Compute_FixedInputs_GiveTheChecksumsOfTheFirstImplementation()
    {
        var tally = ContactTally.FromCounters(10, 8, 2, 240.5, 8, 2400, 6, 5,
            [new(0, 3), new(20, 4), new(61, 1)], [new(5, 1), new(300, 1)]);
        var data = new ReportData(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 1),
            [new DailyTally("kc-stockholm", new DateOnly(2026, 1, 2), tally), new DailyTally("äldre-direkt", new DateOnly(2026, 2, 3), tally)],
            new BackOfficeData
            {
                Volumes = [new DailyVolume(new DateOnly(2026, 1, 5), "kundreskontra", "customer_invoice", 250), new DailyVolume(new DateOnly(2026, 1, 4), "lön", "payslip", 9)],
                Staffing = [new MonthlyStaffing(2026, 1, "kundreskontra", 10.5m), new MonthlyStaffing(2026, 2, "kundreskontra", 10.50m)],
                Cases = [new CaseRecord("c-1", "lön", "fråga", new DateTimeOffset(2026, 1, 7, 8, 0, 0, TimeSpan.FromHours(1)), null, 5)],
                Entered = [new EnteredValue("sick_leave", "2026-01", 4.2, "hr-system")],
            });

        var sums = ReportChecksums.Compute(data);

        Assert.Equal(
            ["cases", "contacts", "entered", "staffing", "volumes"],
            sums.Keys.ToList());
        Assert.Equal("7120217a5920b3d3fbd0136c6c517461a1b308b2db50d2d6f8a69f464a948f82", sums["contacts"]);
        Assert.Equal("fed2011e5924aafb8908f58d7f03333e72795ff2a5ef7ae1eb4238ebb5166ffd", sums["volumes"]);
        Assert.Equal("2bad96253d6f2f728e026b05763ffc017e2f845bf47aa74353fbbc3f12978ae0", sums["staffing"]);
        Assert.Equal("bfb0f7f24f1ada97ca5636ee4ae62e7e8b22f6be909cac8385393eab53b6c375", sums["cases"]);
        Assert.Equal("d5f60ca495b4fbb149de7b4175db1b314d9be2122269a160c1c53ef193fbe958", sums["entered"]);
    }
}
