namespace Driftvy.Web.Reports;

/// <summary>Report settings. Section <c>Reports</c>.</summary>
public sealed class ReportOptions
{
    public const string SectionName = "Reports";

    /// <summary>
    /// Folder the monthly productivity report is written to on the first working day of each month
    /// (relative to the content root); empty switches the scheduled report off.
    /// </summary>
    public string MonthlyFolder { get; set; } = string.Empty;

    /// <summary>Run the monthly report every morning (on when <see cref="MonthlyFolder"/> is set); off, it runs only when asked.</summary>
    public bool ScheduleMonthly { get; set; } = true;

    /// <summary>Formats the monthly job writes, comma-separated, e.g. <c>xlsx,html</c>.</summary>
    public string MonthlyFormats { get; set; } = "xlsx";

    internal IReadOnlyList<string> Formats =>
        MonthlyFormats.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static bool IsValid(ReportOptions o) =>
        o.Formats.Count > 0 && o.Formats.All(f => ReportNames.TryParseFormat(f, out _));
}
