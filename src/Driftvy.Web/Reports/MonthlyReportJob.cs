using System.Globalization;
using Driftvy.Domain.Calendar;
using Driftvy.Web.Kpis;
using Microsoft.Extensions.Options;
using Quartz;

namespace Driftvy.Web.Reports;

/// <summary>
/// Writes last month's productivity report into <see cref="ReportOptions.MonthlyFolder"/> from 06:00 Stockholm time
/// on the first working day of each month. Idempotent: a file already written is left alone, so a re-run or a second
/// instance does no harm, and a run that failed (or a host that was down) is made good on a later day of the month.
/// </summary>
public sealed class MonthlyReportRunner(
    ReportService reports, KpiSetup kpis, IOptions<ReportOptions> options, IWebHostEnvironment environment, TimeProvider time, ILogger<MonthlyReportRunner> logger)
{
    /// <summary>How often the job asks whether the report is due.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromHours(1);

    /// <summary>Stockholm wall-clock hour from which the report is written (well clear of the 02:00–03:00 DST switch).</summary>
    public const int FromHour = 6;

    /// <summary>The files written (empty before the month's first working day, or when the reports exist).</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.MonthlyFolder))
        {
            return [];
        }

        var local = StockholmTime.LocalDateTime(time.GetUtcNow());
        var today = new DateOnly(local.Year, local.Month, local.Day);
        var firstWorkingDay = FirstWorkingDayOfMonth(today.Year, today.Month, kpis.Calendar);
        if (today < firstWorkingDay || (today == firstWorkingDay && local.Hour < FromHour))
        {
            return [];
        }

        var previous = today.AddMonths(-1);
        var folder = Path.IsPathRooted(o.MonthlyFolder) ? o.MonthlyFolder : Path.Combine(environment.ContentRootPath, o.MonthlyFolder);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        ReportDocument? report = null;
        foreach (var name in o.Formats)
        {
            if (!ReportNames.TryParseFormat(name, out var format))
            {
                continue;
            }

            var stem = string.Create(CultureInfo.InvariantCulture, $"driftvy-manad-{previous.Year}-{previous.Month:00}.");
            var path = Path.Combine(folder, stem + ReportNames.Extension(format));
            if (File.Exists(path))
            {
                continue;
            }

            report ??= await reports.MonthlyAsync(previous.Year, previous.Month, cancellationToken).ConfigureAwait(false);
            // A temporary name of its own, so two instances writing into one folder never share a file.
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            await using (var file = File.Create(temp))
            {
                await file.WriteAsync(Export.ReportExporter.ToBytes(report, format), cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, path, overwrite: true);
            written.Add(path);
            logger.LogInformation("Monthly report for {Year}-{Month:00} written to {Path}", previous.Year, previous.Month, path);
        }

        return written;
    }

    /// <summary>The first Stockholm working day of a month (2 January when New Year's Day falls on a weekday, and so on).</summary>
    public static DateOnly FirstWorkingDayOfMonth(int year, int month, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var d = new DateOnly(year, month, 1);
        while (!calendar.IsWorkingDay(d))
        {
            d = d.AddDays(1);
        }

        return d;
    }
}

/// <summary>Thin Quartz adapter: runs every hour; the runner decides whether the report is due.</summary>
[DisallowConcurrentExecution]
public sealed class MonthlyReportJob(MonthlyReportRunner runner, ILogger<MonthlyReportJob> logger) : IJob
{
    public static readonly JobKey Key = new("monthly-report", "reports");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await runner.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Logged, not thrown: the next hour's firing tries again while the file is missing.
            logger.LogError(e, "The monthly report could not be written");
        }
    }
}
