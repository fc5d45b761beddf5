using System.Net;
using System.Text.Json;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Tests.Ingestion;

namespace Driftvy.Web.Tests.Security;

/// <summary>One fact dated at the edge of the calendar must not stop what everyone reads.</summary>
public sealed class ImplausibleInstantTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Contacts = "contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact\n";

    /// <summary>The production window: the default earliest instant and one day ahead of the host's clock (15 October 2026, 10:30).</summary>
    private static readonly Dictionary<string, string?> ProductionWindow = new() { ["Ingestion:MaxFuture"] = "1.00:00:00" };

    [Theory]
    [InlineData("9999-12-31T23:59:59+00:00", "offered_at", "Ingestion:MaxFuture")]
    [InlineData("2029-10-15T10:00:00+02:00", "offered_at", "Ingestion:MaxFuture")]
    [InlineData("0001-01-01T00:00:00+00:00", "offered_at", "Ingestion:EarliestAccepted")]
    [InlineData("1999-12-31T23:59:59+00:00", "offered_at", "Ingestion:EarliestAccepted")]
    public async Task ImportAsync_InstantOutsideTheWindow_RefusedWithLineAndColumnAndNothingStored(string offered, string column, string setting)
    {
        await using var app = IngestionTestHost.Create(ProductionWindow);

        var result = await app.ImportTextAsync(IngestKind.Contacts, Contacts +
            "ok-1,phone,kc-stockholm,2026-10-15T09:00:00+02:00,2026-10-15T09:00:20+02:00,,2026-10-15T09:04:00+02:00,true\n" +
            $"bad-1,phone,kc-stockholm,{offered},,,,\n", Ct);

        Assert.False(result.Committed);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, column), (error.Line, error.Column));
        Assert.Contains(setting, error.Reason, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Contacts, Ct), Ct));
    }

    [Fact]
    public async Task ImportAsync_AnsweredInstantOutsideTheWindow_RefusedInItsOwnColumn()
    {
        await using var app = IngestionTestHost.Create(ProductionWindow);

        var result = await app.ImportTextAsync(IngestKind.Contacts, Contacts +
            "c-1,phone,kc-stockholm,2026-10-15T09:00:00+02:00,9999-01-01T00:00:00+00:00,,,\n", Ct);

        Assert.False(result.Committed);
        Assert.Contains(result.Errors, e => e.Line == 2 && e.Column == "answered_at" && e.Reason.Contains("Ingestion:MaxFuture", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImportAsync_InstantAnHourAheadOfTheClock_Accepted()
    {
        await using var app = IngestionTestHost.Create(ProductionWindow);

        // A sender's clock a little ahead is ordinary; the window allows a day.
        var result = await app.ImportTextAsync(IngestKind.Cases, "case_id,team,kind,opened_at,closed_at,promised_days\n" +
            "LR-1,lr,supplier_query,2026-10-15T11:25:00+02:00,,5\n", Ct);

        Assert.True(result.Committed, string.Join("; ", result.Errors));
    }

    [Theory]
    [InlineData("Ingestion:EarliestAccepted", "0001-01-01T00:00:00+00:00")]
    [InlineData("Ingestion:MaxFuture", "-00:00:01")]
    [InlineData("Ingestion:MaxFuture", "400.00:00:00")]
    public async Task Startup_WindowSettingOutOfRange_StopsWithAMessageNamingIt(string key, string value)
    {
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { [key] = value });

        var refused = Assert.ThrowsAny<Exception>(() => app.Server);

        Assert.Contains(key.Split(':')[1], refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MaxFuture_Default_IsOneDay() =>
        Assert.Equal(TimeSpan.FromDays(1), new IngestionOptions().MaxFuture);

    [Fact]
    public async Task Steering_CaseOpenedInYearOne_StillAnswers()
    {
        // Stored before the import refused such dates (or let in deliberately): the read side must cope either way.
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Ingestion:EarliestAccepted"] = "0001-01-03T00:00:00+00:00" });
        using var client = app.CreateClient();
        await app.ImportTextAsync(IngestKind.Cases, "case_id,team,kind,opened_at,closed_at,promised_days\n" +
            "LR-old,lr,supplier_query,0001-01-03T00:00:00+00:00,,5\n" +
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
