using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Domain.Tests.Contacts;

namespace Driftvy.Domain.Tests.Kpis;

/// <summary>
/// Raw inputs built to match the figures of the 2015 tertial report (T2, January–August); the engine must
/// give back the report's numbers.
/// </summary>
public sealed class Report2015ReproductionTests
{
    private static readonly Period JanToAug2015 = Period.YearToDateAtTertial(2015, 2);

    /// <summary>Spreads a total over the working days of the period, as daily volumes.</summary>
    private static IEnumerable<DailyVolume> Spread(long total, string team, string kind)
    {
        var calendar = new WorkingCalendar();
        var days = Enumerable.Range(0, JanToAug2015.DayCount).Select(i => JanToAug2015.Start.AddDays(i)).Where(calendar.IsWorkingDay).ToList();
        var each = total / days.Count;
        for (var i = 0; i < days.Count; i++)
        {
            yield return new DailyVolume(days[i], team, kind, i == 0 ? each + (total - (each * days.Count)) : each);
        }
    }

    private static KpiValue PerFte(string kpi, string team, string kind, decimal[] fteByMonth, long volume)
    {
        var inputs = new KpiInputs
        {
            Volumes = [.. Spread(volume, team, kind)],
            Staffing = [.. fteByMonth.Select((fte, i) => new MonthlyStaffing(2015, i + 1, team, fte))],
        };
        return SeedFiles.Engine().Evaluate(kpi, JanToAug2015, inputs);
    }

    [Fact]
    public void CustomerInvoicesPerAdministratorAndMonth_Reproduces5420()
    {
        // 9 administrators Jan–Aug = 72 FTE-months; 5 420 × 72 invoices.
        var v = PerFte("customer_invoices_per_fte", "kr", "customer_invoice", [9, 9, 9, 9, 9, 9, 9, 9], 5_420 * 72);

        Assert.Equal(5_420, v.Value!.Value, 9);
        Assert.Equal(1, v.Version);
    }

    [Fact]
    public void SupplierInvoicesPerAdministratorAndMonth_Reproduces2949()
    {
        // Staffing varies: 12 + 12 + 12.5 + 12.5 + 13 + 13 + 12.5 + 12.5 = 100 FTE-months.
        var v = PerFte("supplier_invoices_per_fte", "lr", "supplier_invoice", [12m, 12m, 12.5m, 12.5m, 13m, 13m, 12.5m, 12.5m], 294_900);

        Assert.Equal(2_949, v.Value!.Value, 9);
        Assert.Equal(100, v.Denominator!.Value, 9);
    }

    [Fact]
    public void PayslipsPerFteAndMonth_Reproduces1041()
    {
        var v = PerFte("salaries_per_fte_month", "lon", "payslip", [30, 30, 30, 30, 30, 30, 30, 30], 1_041 * 240);

        Assert.Equal(1_041, v.Value!.Value, 9);
    }

    [Fact]
    public void TelephonyFigures_Reproduce64And79PercentAnd86Point5Fcr()
    {
        var at = new DateTimeOffset(2015, 6, 10, 10, 0, 0, TimeSpan.FromHours(2));
        var contacts = new List<ContactRecord>();
        for (var i = 0; i < 64; i++)
        {
            contacts.Add(ContactKpiTests.Answered(45, at: at, fcr: i < 60));
        }

        for (var i = 0; i < 15; i++)
        {
            contacts.Add(ContactKpiTests.Answered(150, at: at, fcr: true));
        }

        for (var i = 0; i < 5; i++)
        {
            contacts.Add(ContactKpiTests.Answered(400, at: at, fcr: i < 3));
        }

        for (var i = 0; i < 16; i++)
        {
            contacts.Add(ContactKpiTests.Abandoned(90, at: at));
        }

        for (var i = 0; i < 10; i++)
        {
            contacts.Add(ContactKpiTests.Abandoned(4, at: at)); // short abandons: not counted against the service level
        }

        // 116 more flagged contacts so that FCR = 173 resolved ÷ 200 flagged = 86.5 %.
        var fcrOnly = Enumerable.Range(0, 116).Select(i => ContactKpiTests.Answered(20, "aldre-direkt", at, fcr: i < 95)).ToList();
        var inputs = new KpiInputs { Contacts = ContactTallies.ForPeriod([.. contacts, .. fcrOnly], JanToAug2015) };
        var engine = SeedFiles.Engine();
        var kcOnly = new KpiScope(Queues: ["kc-stockholm"]);

        Assert.Equal(64, engine.Evaluate("kc_answered_within_1_min", JanToAug2015, inputs, kcOnly).Value!.Value, 9);
        Assert.Equal(79, engine.Evaluate("kc_answered_within_3_min", JanToAug2015, inputs, kcOnly).Value!.Value, 9);
        Assert.Equal(86.5, engine.Evaluate("kc_first_contact_resolution", JanToAug2015, inputs).Value!.Value, 9);
    }

    [Fact]
    public void PayrollPhoneAvailability_Reproduces91Percent()
    {
        var at = new DateTimeOffset(2015, 3, 10, 10, 0, 0, TimeSpan.FromHours(1));
        ContactRecord[] contacts =
        [
            .. Enumerable.Range(0, 91).Select(_ => ContactKpiTests.Answered(30, "lon-pension", at)),
            .. Enumerable.Range(0, 9).Select(_ => ContactKpiTests.Abandoned(60, "lon-pension", at)),
            .. Enumerable.Range(0, 5).Select(_ => ContactKpiTests.Abandoned(5, "lon-pension", at)),
        ];

        var v = SeedFiles.Engine().Evaluate("lp_phone_availability", JanToAug2015, new KpiInputs { Contacts = ContactTallies.ForPeriod(contacts, JanToAug2015) });

        Assert.Equal(91, v.Value!.Value, 9);
    }
}
