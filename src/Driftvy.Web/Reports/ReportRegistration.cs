using System.Security.Claims;
using Driftvy.Web.Kpis;
using Driftvy.Web.Reports.Snapshots;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace Driftvy.Web.Reports;

/// <summary>Registers the reports and maps their HTTP API.</summary>
internal static class ReportRegistration
{
    public static WebApplicationBuilder AddReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReportOptions>().BindConfiguration(ReportOptions.SectionName)
            .Validate(ReportOptions.IsValid, "Reports:MonthlyFormats lists xlsx, csv, json or html (at least one).")
            .ValidateOnStart();
        builder.Services.AddSingleton<KfTargets>();
        builder.Services.AddSingleton(sp => new ReportBuilder(sp.GetRequiredService<KpiSetup>(), sp.GetRequiredService<KfTargets>()));

        // The back-office tables bind here when ingestion is merged; until then back-office rows say "no value".
        builder.Services.TryAddSingleton<IBackOfficeRecords, EmptyBackOfficeRecords>();
        builder.Services.AddSingleton<IReportInputs, HistoryReportInputs>();
        builder.Services.AddSingleton<IReportSnapshotStore, ReportSnapshotStore>();
        builder.Services.AddSingleton<ReportService>();
        builder.Services.AddSingleton<MonthlyReportRunner>();
        builder.Services.AddOptions<Digest.DigestOptions>().BindConfiguration(Digest.DigestOptions.SectionName)
            .Validate(o => Digest.DigestOptions.Problem(o) is null, "Reports:Digest: At 03:00:00–23:59:59; with Enabled, SmtpHost, SmtpPort, From and at least one plain address in Recipients.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Digest.DigestService>();
        builder.Services.AddSingleton<Digest.DigestRunner>();

        var section = builder.Configuration.GetSection(ReportOptions.SectionName);
        var folder = section[nameof(ReportOptions.MonthlyFolder)];
        if (!string.IsNullOrWhiteSpace(folder) && section.GetValue(nameof(ReportOptions.ScheduleMonthly), true))
        {
            // Every hour; the runner decides, by the domain's embedded Stockholm rules rather than the host's tzdata,
            // whether it is past 06:00 on or after the month's first working day and last month's file is missing.
            builder.Services.AddQuartz(q => q.ScheduleJob<MonthlyReportJob>(
                trigger => trigger.WithIdentity("monthly-report-trigger", "reports").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(MonthlyReportRunner.CheckEvery).RepeatForever()
                        .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
                job => job.WithIdentity(MonthlyReportJob.Key)));
        }

        if (builder.Configuration.GetSection(Digest.DigestOptions.SectionName).GetValue(nameof(Digest.DigestOptions.Enabled), false))
        {
            // Every few minutes; the runner decides whether it is a working day past Reports:Digest:At in Stockholm and
            // claims the day before sending, so the digest goes out once across instances.
            builder.Services.AddQuartz(q => q.ScheduleJob<Digest.DigestJob>(
                trigger => trigger.WithIdentity("steering-digest-trigger", "reports").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(Digest.DigestRunner.CheckEvery).RepeatForever()
                        .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
                job => job.WithIdentity(Digest.DigestJob.Key)));
        }

        return builder;
    }

    // Reports reach back a year and ahead to the next month; outside these years that arithmetic leaves the
    // calendar, and no such report can hold data anyway.
    private const int FirstYear = 1900;
    private const int LastYear = 2999;

    private static IResult? RefuseYear(int year) => year is < FirstYear or > LastYear
        ? Results.Problem($"{year} is not a report year: use {FirstYear}–{LastYear}.", statusCode: StatusCodes.Status400BadRequest)
        : null;

    public static WebApplication MapReports(this WebApplication app)
    {
        var reports = app.MapGroup("/api/reports").RequireAuthorization(Security.Policies.Viewer);
        reports.MapGet("/tertial/{year:int}/{period}", async (int year, string period, string? format, bool? fresh, ReportService service, CancellationToken ct) =>
        {
            if (RefuseYear(year) is { } refused)
            {
                return refused;
            }

            if (!ReportNames.TryParsePoint(period, out var point))
            {
                return Results.Problem($"'{period}' is not a tertial report: use T1, T2 or VB.", statusCode: StatusCodes.Status400BadRequest);
            }

            if (!ReportNames.TryParseFormat(format, out var f))
            {
                return Results.Problem($"'{format}' is not a report format: use xlsx, csv, json or html.", statusCode: StatusCodes.Status400BadRequest);
            }

            var (report, bytes) = await service.TertialFileAsync(year, point, f, fresh == true ? ReportRun.Fresh : ReportRun.Frozen, ct);
            return File(report, f, bytes);
        });
        // Fixing (fastställa) a tertial report is a deliberate act of an administrator, after a preview, and audited.
        app.MapPost("/api/reports/tertial/{year:int}/{period}/fix", async (int year, string period, bool? acceptGaps, ClaimsPrincipal user, ReportService service, CancellationToken ct) =>
        {
            if (RefuseYear(year) is { } refused)
            {
                return refused;
            }

            if (!ReportNames.TryParsePoint(period, out var point))
            {
                return Results.Problem($"'{period}' is not a tertial report: use T1, T2 or VB.", statusCode: StatusCodes.Status400BadRequest);
            }

            var outcome = await service.FixAsync(year, point, user.Identity?.Name ?? "unknown", acceptGaps == true, ct);
            return outcome.Report is { } fixedReport
                ? Results.Ok(new ReportFixAnswer(fixedReport.Year, point.ToString(), fixedReport.Fixed, fixedReport.InputChecksums))
                : Results.Problem(outcome.Refusal!.Reason, statusCode: StatusCodes.Status409Conflict, title: "Not fixed",
                    extensions: new Dictionary<string, object?> { ["gaps"] = outcome.Refusal.Gaps });
        }).RequireAuthorization(Security.Policies.Admin);
        reports.MapGet("/tertial/{year:int}/{period}/changes", async (int year, string period, ReportService service, CancellationToken ct) =>
            RefuseYear(year) ?? (ReportNames.TryParsePoint(period, out var point)
                ? Results.Ok(await service.CompareWithFrozenAsync(year, point, ct))
                : Results.Problem($"'{period}' is not a tertial report: use T1, T2 or VB.", statusCode: StatusCodes.Status400BadRequest)));
        reports.MapGet("/monthly/{year:int}/{month:int}", async (int year, int month, string? format, ReportService service, CancellationToken ct) =>
        {
            if (RefuseYear(year) is { } refused)
            {
                return refused;
            }

            if (month is < 1 or > 12)
            {
                return Results.Problem($"{month} is not a month: use 1–12.", statusCode: StatusCodes.Status400BadRequest);
            }

            if (!ReportNames.TryParseFormat(format, out var f))
            {
                return Results.Problem($"'{format}' is not a report format: use xlsx, csv, json or html.", statusCode: StatusCodes.Status400BadRequest);
            }

            return File(await service.MonthlyAsync(year, month, ct), f);
        });
        return app;
    }

    // HTML and JSON open in the browser; xlsx and CSV download under the report's file name.
    private static IResult File(ReportDocument report, ReportFormat format, byte[]? bytes = null) =>
        Results.File(bytes ?? Export.ReportExporter.ToBytes(report, format), ReportNames.ContentType(format),
            format is ReportFormat.Xlsx or ReportFormat.Csv ? ReportNames.FileName(report, format) : null);
}
