using System.Globalization;
using Driftvy.Domain.Calendar;
using Driftvy.Web.Observability;
using Driftvy.Web.Reports.Export;
using Driftvy.Web.Reports.Snapshots;
using Driftvy.Web.Security;

namespace Driftvy.Web.Reports;

/// <summary>Which run of a tertial report to export.</summary>
public enum ReportRun
{
    /// <summary>The fixed (frozen) report when there is one; until it is fixed, computed now and marked preliminary.</summary>
    Frozen,

    /// <summary>Computed now from the current data, never stored (to see what late data changed).</summary>
    Fresh,
}

/// <summary>Why a tertial report was not fixed; <see cref="Gaps"/> lists the rows without a value when that is the reason.</summary>
public sealed record FixRefusal(string Reason, IReadOnlyList<string> Gaps);

/// <summary>The outcome of fixing a tertial report: the fixed document, or why it was not fixed.</summary>
public sealed record FixOutcome(ReportDocument? Report, FixRefusal? Refusal);

/// <summary>A figure that differs between the frozen report and a fresh run.</summary>
public sealed record ReportChange(string Division, string KpiId, string Scope, string Column, double? Frozen, double? Now);

/// <summary>What changed since a report was frozen: which inputs, and which figures.</summary>
public sealed record ReportChanges(
    int Year, string Point, DateTimeOffset? FrozenAt, DateTimeOffset ComputedAt, IReadOnlyList<string> ChangedInputs, IReadOnlyList<ReportChange> Changes);

/// <summary>
/// Produces the reports: the entry point of the HTTP API, the command line (<c>driftvy report</c>), the
/// steering view's button and the monthly job. A tertial report is fixed (fastställd, frozen) only by a deliberate,
/// audited act after its period has ended (<see cref="FixAsync"/>); it is exported from the fixed copy afterwards, so it
/// reproduces byte for byte. Until then every download is computed from the current data and marked preliminary.
/// </summary>
public sealed class ReportService(ReportBuilder builder, IReportInputs inputs, IReportSnapshotStore snapshots, AuditLog audit, TimeProvider time)
{
    /// <summary>The tertial report (T1, T2 or VB) of <paramref name="year"/>.</summary>
    public async Task<ReportDocument> TertialAsync(int year, TertialPoint point, ReportRun run, CancellationToken cancellationToken)
    {
        CheckYear(year);
        using var span = DriftvyTracing.Report("tertial", $"{year}-{point}");
        if (run == ReportRun.Frozen && await snapshots.FindAsync(year, point, cancellationToken).ConfigureAwait(false) is { } frozen)
        {
            return span.Done("frozen", frozen);
        }

        var now = time.GetUtcNow();
        var (from, to) = ReportBuilder.TertialSpan(year, point);
        var data = await inputs.LoadAsync(from, to, cancellationToken).ConfigureAwait(false);
        return span.Done("built", builder.BuildTertial(year, point, data, now, preliminary: StockholmTime.LocalDate(now) < to));
    }

    /// <summary>
    /// Fixes (fastställer) the tertial report: computes it from the current data, stores it as the one every later export
    /// reproduces, and records who did it in the audit log. Refused while the period runs, when it is already fixed, and —
    /// unless <paramref name="acceptGaps"/> — while any row lacks a value for want of data (the refusal lists them).
    /// </summary>
    public async Task<FixOutcome> FixAsync(int year, TertialPoint point, string actor, bool acceptGaps, CancellationToken cancellationToken)
    {
        CheckYear(year);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var name = string.Create(CultureInfo.InvariantCulture, $"{point} {year}");
        if (await snapshots.FindAsync(year, point, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            var when = existing.Fixed?.At ?? existing.GeneratedAt;
            return new FixOutcome(null, new FixRefusal(string.Create(CultureInfo.InvariantCulture,
                $"{name} is already fixed ({StockholmTime.LocalDateTime(when):yyyy-MM-dd HH:mm}{(existing.Fixed is { } f ? $" by {f.By}" : string.Empty)})."), []));
        }

        var now = time.GetUtcNow();
        var (from, to) = ReportBuilder.TertialSpan(year, point);
        if (StockholmTime.LocalDate(now) < to)
        {
            return new FixOutcome(null, new FixRefusal(string.Create(CultureInfo.InvariantCulture,
                $"{name} runs until {to.AddDays(-1):yyyy-MM-dd}; it can be fixed from {to:yyyy-MM-dd}."), []));
        }

        var data = await inputs.LoadAsync(from, to, cancellationToken).ConfigureAwait(false);
        var preview = builder.BuildTertial(year, point, data, now, preliminary: false);
        var gaps = preview.Divisions
            .SelectMany(d => d.Rows.Where(r => r.Value is null && r.Status == "no-data").Select(r => $"{d.NameSv} / {r.NameSv} / {r.ScopeSv}: {r.NoValueReason}"))
            .ToList();
        if (gaps.Count > 0 && !acceptGaps)
        {
            return new FixOutcome(null, new FixRefusal(string.Create(CultureInfo.InvariantCulture,
                $"{gaps.Count} rows of {name} have no value for want of data; fix it anyway only if that is right (accept the gaps)."), gaps));
        }

        var report = preview with { Fixed = new ReportFixing(now, actor, gaps) };

        // Every format is rendered once, now, and kept: later exports serve these bytes, whatever a library upgrade would write.
        var files = Enum.GetValues<ReportFormat>().ToDictionary(f => f, f => ReportExporter.ToBytes(report, f));
        var stored = await snapshots.FreezeAsync(report, files, cancellationToken).ConfigureAwait(false);
        if (!ReferenceEquals(stored, report))
        {
            // Another run fixed it first: that one stands, and it was audited there.
            return new FixOutcome(null, new FixRefusal($"{name} was fixed by another run at the same moment.", []));
        }

        await audit.RecordAsync(actor, "report.fix", "report", string.Create(CultureInfo.InvariantCulture, $"tertial/{year}/{point}"), null,
            new { report.GeneratedAt, report.InputChecksums, AcceptedGaps = gaps }, cancellationToken).ConfigureAwait(false);
        return new FixOutcome(report, null);
    }

    /// <summary>The monthly productivity report of <paramref name="month"/> (computed now; not frozen).</summary>
    public async Task<ReportDocument> MonthlyAsync(int year, int month, CancellationToken cancellationToken)
    {
        CheckYear(year);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        using var span = DriftvyTracing.Report("monthly", $"{year}-{month:00}");
        var now = time.GetUtcNow();
        var (from, to) = ReportBuilder.MonthlySpan(year, month);
        var data = await inputs.LoadAsync(from, to, cancellationToken).ConfigureAwait(false);
        return span.Done("built", builder.BuildMonthly(year, month, data, now, preliminary: StockholmTime.LocalDate(now) < to));
    }

    /// <summary>
    /// Writes the tertial report to <paramref name="output"/> (what <c>driftvy report tertial 2026 T2 --format xlsx -o …</c>
    /// calls). Returns the document written, e.g. to name the file with <see cref="ReportNames.FileName"/>.
    /// </summary>
    public async Task<ReportDocument> ExportTertialAsync(
        int year, TertialPoint point, ReportFormat format, Stream output, CancellationToken cancellationToken, ReportRun run = ReportRun.Frozen)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (report, bytes) = await TertialFileAsync(year, point, format, run, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        return report;
    }

    /// <summary>
    /// The tertial report as a file: a fixed report's bytes as stored when it was fixed (reports fixed before the files
    /// were kept are rendered from their document); otherwise rendered now.
    /// </summary>
    public async Task<(ReportDocument Report, byte[] Bytes)> TertialFileAsync(
        int year, TertialPoint point, ReportFormat format, ReportRun run, CancellationToken cancellationToken)
    {
        using var span = DriftvyTracing.Report("tertial", $"{year}-{point}", format);
        var report = await TertialAsync(year, point, run, cancellationToken).ConfigureAwait(false);
        if (run == ReportRun.Frozen && report.Fixed is not null
            && await snapshots.FindFileAsync(year, point, format, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return span.Done("stored", (report, stored));
        }

        return span.Done("rendered", (report, ReportExporter.ToBytes(report, format)));
    }

    public async Task<ReportDocument> ExportMonthlyAsync(int year, int month, ReportFormat format, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var span = DriftvyTracing.Report("monthly", $"{year}-{month:00}", format);
        var report = await MonthlyAsync(year, month, cancellationToken).ConfigureAwait(false);
        await WriteAsync(report, format, output, cancellationToken).ConfigureAwait(false);
        return span.Done("rendered", report);
    }

    /// <summary>A fresh run compared with the frozen report: the inputs whose checksum changed and every figure that moved.</summary>
    public async Task<ReportChanges> CompareWithFrozenAsync(int year, TertialPoint point, CancellationToken cancellationToken)
    {
        var frozen = await snapshots.FindAsync(year, point, cancellationToken).ConfigureAwait(false);
        var fresh = await TertialAsync(year, point, ReportRun.Fresh, cancellationToken).ConfigureAwait(false);
        return Compare(frozen, fresh);
    }

    internal static ReportChanges Compare(ReportDocument? frozen, ReportDocument fresh)
    {
        var point = fresh.Point?.ToString() ?? string.Empty;
        if (frozen is null)
        {
            return new ReportChanges(fresh.Year, point, null, fresh.GeneratedAt, [], []);
        }

        var changedInputs = fresh.InputChecksums
            .Where(kv => !frozen.InputChecksums.TryGetValue(kv.Key, out var h) || h != kv.Value)
            .Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        var before = frozen.Divisions.SelectMany(d => d.Rows.Select(r => (d.Id, r))).ToDictionary(x => (x.Id, x.r.KpiId, x.r.ScopeSv), x => x.r);
        var changes = new List<ReportChange>();
        foreach (var d in fresh.Divisions)
        {
            foreach (var r in d.Rows)
            {
                before.TryGetValue((d.Id, r.KpiId, r.ScopeSv), out var old);
                void Check(string column, double? was, double? now)
                {
                    if (was != now)
                    {
                        changes.Add(new ReportChange(d.NameSv, r.KpiId, r.ScopeSv, column, was, now));
                    }
                }

                Check("Periodens utfall", old?.Value, r.Value);
                Check("Utfall VB", old?.PreviousYear, r.PreviousYear);
                Check("Prognos helår", old?.Forecast, r.Forecast);
                Check("Utfall män", old?.Men, r.Men);
                Check("Utfall kvinnor", old?.Women, r.Women);
            }
        }

        return new ReportChanges(fresh.Year, point, frozen.GeneratedAt, fresh.GeneratedAt, changedInputs, changes);
    }

    private static async Task WriteAsync(ReportDocument report, ReportFormat format, Stream output, CancellationToken cancellationToken)
    {
        // The writers are synchronous (OpenXml, XmlWriter); buffer, then copy asynchronously to the caller's stream.
        var bytes = ReportExporter.ToBytes(report, format);
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckYear(int year)
    {
        if (year is < 2000 or > 2100)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, string.Create(CultureInfo.InvariantCulture, $"{year} is not a plausible report year"));
        }
    }
}
