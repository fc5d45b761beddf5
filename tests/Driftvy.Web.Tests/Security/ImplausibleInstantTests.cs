using System.Net;
using System.Text.Json;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Tests.Ingestion;

namespace Driftvy.Web.Tests.Security;

/// <summary>One fact dated at the edge of the calendar must not stop what everyone reads.</summary>
public sealed class ImplausibleInstantTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Steering_CaseOpenedInYearOne_StillAnswers()
    {
        // Stored before the import refused such dates (or let in deliberately): the read side must cope either way.
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Ingestion:EarliestAccepted"] = "0001-01-01T00:00:00+00:00" });
        using var client = app.CreateClient();
        await app.ImportTextAsync(IngestKind.Cases, "case_id,team,kind,opened_at,closed_at,promised_days\n" +
            "LR-old,lr,supplier_query,0001-01-01T00:00:00+00:00,,5\n" +
            "LR-new,lr,supplier_query,2026-10-14T09:00:00+02:00,,5\n", Ct);

        var response = await client.GetAsync("/api/steering", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.ValueKind);
    }

    [Fact]
    public void WorkingDaysElapsed_FromBeforeTheGregorianCalendar_CountsWithoutThrowing()
    {
        var calendar = new Driftvy.Domain.Calendar.WorkingCalendar();

        var days = calendar.WorkingDaysElapsed(new DateOnly(1, 1, 1), new DateOnly(2026, 10, 15));

        Assert.InRange(days, 500_000, 530_000);
    }

    [Fact]
    public void IsWorkingDay_WhitSundayOnTheNationalDay_IsADayOff()
    {
        // Easter on 18 April puts Whit Sunday on 6 June, the National Day: one date, two holidays.
        var year = Enumerable.Range(2026, 400).First(y => Driftvy.Domain.Calendar.SwedishHolidays.EasterSunday(y) == new DateOnly(y, 4, 18));

        Assert.False(new Driftvy.Domain.Calendar.WorkingCalendar().IsWorkingDay(new DateOnly(year, 6, 6)));
    }
}
