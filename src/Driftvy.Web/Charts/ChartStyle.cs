using System.Globalization;
using Driftvy.Domain.Calendar;

namespace Driftvy.Web.Charts;

/// <summary>What a chart's values measure: decides the tick labels and the "85 %" style of the numbers.</summary>
internal enum ChartUnit
{
    Percent,
    Count,
    Decimal,
    Seconds,
    Days,
}

/// <summary>
/// The screens' colour-blind-safe colours (Okabe–Ito, as the wall screen and steering view use) on a white page, and
/// Swedish number, month and time formats for ticks and captions.
/// </summary>
internal static class ChartStyle
{
    public static readonly ScottPlot.Color Actual = ScottPlot.Color.FromHex("#0072B2");
    public static readonly ScottPlot.Color PreviousYear = ScottPlot.Color.FromHex("#56B4E9");
    public static readonly ScottPlot.Color Target = ScottPlot.Color.FromHex("#D55E00");
    public static readonly ScottPlot.Color Forecast = ScottPlot.Color.FromHex("#009E73");
    public static readonly ScottPlot.Color Expected = ScottPlot.Color.FromHex("#E69F00");
    public static readonly ScottPlot.Color Annotation = ScottPlot.Color.FromHex("#CC79A7");
    public static readonly ScottPlot.Color Text = ScottPlot.Color.FromHex("#111111");

    /// <summary>The backlog's age buckets, youngest first: light to dark so the order reads without colour too.</summary>
    public static readonly IReadOnlyList<ScottPlot.Color> AgeBuckets =
    [
        ScottPlot.Color.FromHex("#56B4E9"),
        ScottPlot.Color.FromHex("#009E73"),
        ScottPlot.Color.FromHex("#E69F00"),
        ScottPlot.Color.FromHex("#D55E00"),
    ];

    private static readonly CultureInfo Sv = CultureInfo.GetCultureInfo("sv-SE");

    /// <summary>Swedish month abbreviations as the reports write them (no trailing dot).</summary>
    public static readonly IReadOnlyList<string> Months = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

    /// <summary>A value as a tick or caption shows it: "85 %", "1 234", "3,5", "42 s", "3,5 dagar".</summary>
    public static string Number(double value, ChartUnit unit, bool precise = false) => unit switch
    {
        ChartUnit.Percent => value.ToString(precise ? "0.0" : "0.##", Sv) + " %",
        ChartUnit.Count => value.ToString("#,##0", Sv),
        ChartUnit.Seconds => value.ToString("0", Sv) + " s",
        ChartUnit.Days => value.ToString("0.#", Sv) + " dagar",
        _ => value.ToString(precise ? "#,##0.0" : "#,##0.##", Sv),
    };

    /// <summary>Stockholm wall-clock time of an instant, "HH:mm".</summary>
    public static string Clock(DateTimeOffset instant) =>
        StockholmTime.LocalDateTime(instant).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Hours since Stockholm midnight of <paramref name="instant"/>'s local day (the x of the day charts).</summary>
    public static double LocalHours(DateTimeOffset instant)
    {
        var local = StockholmTime.LocalDateTime(instant);
        return local.Hour + (local.Minute / 60.0) + (local.Second / 3600.0);
    }

    /// <summary>A local time of day (hours) as "08:15".</summary>
    public static string HourLabel(double hours)
    {
        var minutes = (int)Math.Round(hours * 60);
        return string.Create(CultureInfo.InvariantCulture, $"{minutes / 60 % 24:00}:{minutes % 60:00}");
    }
}
