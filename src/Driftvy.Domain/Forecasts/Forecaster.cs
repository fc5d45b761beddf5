using System.Globalization;
using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Targets;

namespace Driftvy.Domain.Forecasts;

public enum ForecastMethod
{
    /// <summary>Volume: YTD ÷ last year's share of the year done at the same date.</summary>
    PreviousYearShare,

    /// <summary>Volume: YTD ÷ share of the year's working days done.</summary>
    WorkingDays,

    /// <summary>Ratio: YTD numerator and denominator plus the expected rest of the year.</summary>
    RatioWeightedByRemainingVolume,
}

/// <summary>A full-year forecast (prognos helår); the method is part of the result.</summary>
public sealed record Forecast(
    double? Value, ForecastMethod? Method, string MethodEn, string MethodSv, double? ShareOfYearDone, string? NoValueReason);

/// <summary>The suggested verdict on a goal; the report writer decides, with the qualitative analysis.</summary>
public enum Judgement
{
    UppfyllsHelt,
    UppfyllsDelvis,
    UppfyllsInte,
}

public sealed class Forecaster(WorkingCalendar calendar)
{
    private readonly WorkingCalendar _calendar = calendar ?? throw new ArgumentNullException(nameof(calendar));

    /// <summary>
    /// Full-year volume from a year-to-date volume through <paramref name="asOf"/> (inclusive). With last
    /// year's daily volumes of the same series, YTD is divided by the share of last year's volume done by the
    /// same date; otherwise by the share of the year's working days done.
    /// </summary>
    public Forecast Volume(double ytdVolume, DateOnly asOf, IEnumerable<DailyVolume>? previousYear = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var prev = previousYear?.Where(v => v.Date.Year == asOf.Year - 1).ToList() ?? [];
        var prevTotal = prev.Sum(v => (double)v.Count);
        if (prevTotal > 0)
        {
            // 29 February has no twin; the previous year is cut at 28 February then.
            var sameDate = new DateOnly(asOf.Year - 1, asOf.Month, Math.Min(asOf.Day, DateTime.DaysInMonth(asOf.Year - 1, asOf.Month)));
            var done = prev.Where(v => v.Date <= sameDate).Sum(v => (double)v.Count) / prevTotal;
            if (done > 0)
            {
                return new Forecast(ytdVolume / done, ForecastMethod.PreviousYearShare,
                    string.Create(inv, $"year to date ÷ {done:0.####}, the share of {asOf.Year - 1}'s volume done by {sameDate:yyyy-MM-dd}"),
                    string.Create(inv, $"hittills i år ÷ {done:0.####}, den andel av {asOf.Year - 1} års volym som var klar {sameDate:yyyy-MM-dd}"),
                    done, null);
            }
        }

        var yearStart = new DateOnly(asOf.Year, 1, 1);
        var doneDays = _calendar.WorkingDaysInRange(yearStart, asOf.AddDays(1));
        var allDays = _calendar.WorkingDaysInRange(yearStart, yearStart.AddYears(1));
        if (doneDays == 0)
        {
            return new Forecast(null, null, string.Empty, string.Empty, 0, $"no working day of {asOf.Year} has passed by {asOf:yyyy-MM-dd}");
        }

        var share = (double)doneDays / allDays;
        return new Forecast(ytdVolume / share, ForecastMethod.WorkingDays,
            string.Create(inv, $"year to date ÷ {share:0.####} ({doneDays} of {allDays} working days done; no previous year to compare with)"),
            string.Create(inv, $"hittills i år ÷ {share:0.####} ({doneDays} av {allDays} arbetsdagar avklarade; inget föregående år att jämföra med)"),
            share, null);
    }

    /// <summary>
    /// Full-year ratio: the YTD numerator and denominator plus the expected remaining denominator volume at the
    /// <paramref name="remainingRatio"/> (in the KPI's unit; default the YTD ratio itself).
    /// </summary>
    public static Forecast Ratio(KpiValue yearToDate, double expectedRemainingDenominator, double? remainingRatio = null)
    {
        ArgumentNullException.ThrowIfNull(yearToDate);
        if (yearToDate.Numerator is not { } num || yearToDate.Denominator is not { } den || yearToDate.Value is not { } ytd)
        {
            return new Forecast(null, null, string.Empty, string.Empty, null,
                yearToDate.NoValueReason ?? "the year-to-date value has no numerator and denominator");
        }

        var scale = yearToDate.Unit == KpiUnit.Percent ? 100.0 : 1.0;
        var rest = Math.Max(0, expectedRemainingDenominator);
        var r = remainingRatio ?? ytd;
        var value = ((num * scale) + (r * rest)) / (den + rest);
        var inv = CultureInfo.InvariantCulture;
        return new Forecast(value, ForecastMethod.RatioWeightedByRemainingVolume,
            string.Create(inv, $"(YTD numerator + {r:0.###} × expected remaining {rest:0.###}) ÷ (YTD denominator {den:0.###} + {rest:0.###}); remaining ratio {(remainingRatio is null ? "= YTD ratio" : "given")}"),
            string.Create(inv, $"(täljare hittills + {r:0.###} × förväntad återstående volym {rest:0.###}) ÷ (nämnare hittills {den:0.###} + {rest:0.###})"),
            den + rest > 0 ? den / (den + rest) : null, null);
    }

    /// <summary>Prognossäkerhet: (forecast − year-end outcome) ÷ year-end outcome, in percent; null for a zero outcome.</summary>
    public static double? Accuracy(double forecast, double outcome) =>
        outcome == 0 ? null : 100 * (forecast - outcome) / Math.Abs(outcome);

    /// <summary>Suggested verdict from the forecast's status against the annual target.</summary>
    public static Judgement? SuggestJudgement(TargetStatus forecastStatus) => forecastStatus switch
    {
        TargetStatus.OnTarget => Judgement.UppfyllsHelt,
        TargetStatus.WithinTolerance => Judgement.UppfyllsDelvis,
        TargetStatus.OffTarget => Judgement.UppfyllsInte,
        _ => null,
    };

    public static string ToSwedish(Judgement judgement) => judgement switch
    {
        Judgement.UppfyllsHelt => "Uppfylls helt",
        Judgement.UppfyllsDelvis => "Uppfylls delvis",
        _ => "Uppfylls inte",
    };
}
