using System.Globalization;
using Driftvy.Domain.Calendar;
using Driftvy.Web.Reports.Export;
using Driftvy.Web.Reports.Snapshots;

namespace Driftvy.Web.Reports;

/// <summary>Which run of a tertial report to export.</summary>
public enum ReportRun
{
    /// <summary>The frozen report when there is one; a finished period is frozen on its first export.</summary>
    Frozen,

    /// <summary>Computed now from the current data, never stored (to see what late data changed).</summary>
    Fresh,
}

/// <summary>A figure that differs between the frozen report and a fresh run.</summary>
public sealed record ReportChange(string Division, string KpiId, string Scope, string Column, double? Frozen, double? Now);

/// <summary>What changed since a report was frozen: which inputs, and which figures.</summary>
public sealed record ReportChanges(
    int Year, string Point, DateTimeOffset? FrozenAt, DateTimeOffset ComputedAt, IReadOnlyList<string> ChangedInputs, IReadOnlyList<ReportChange> Changes);

/// <summary>
/// Produces the reports: the entry point of the HTTP API, the command line (<c>driftvy report</c>), the
/// steering view's button and the monthly job. A tertial report for a finished period is frozen on its
/// first export and exported from the frozen copy afterwards, so it reproduces byte for byte.
/// </summary>
public sealed class ReportService(ReportBuilder builder, IReportInputs inputs, IReportSnapshotStore snapshots, TimeProvider time)
{
    /// <summary>The tertial report (T1, T2 or VB) of <paramref name="year"/>.</summary>
    public async Task<ReportDocument> TertialAsync(int year, TertialPoint point, ReportRun run, CancellationToken cancellationToken)
    {
        CheckYear(year);
        if (run == ReportRun.Frozen && await snapshots.FindAsync(year, point, cancellationToken).ConfigureAwait(false) is { } frozen)
        {
            return frozen;
        }

        var now = time.GetUtcNow();
        var (from, to) = ReportBuilder.TertialSpan(year, point);
        var finished = StockholmTime.LocalDate(now) >= to;
        var data = await inputs.LoadAsync(from, to, cancellationToken).ConfigureAwait(false);
        var report = builder.BuildTertial(year, point, data, now, preliminary: !finished);
        return run == ReportRun.Frozen && finished
            ? await snapshots.FreezeAsync(report, cancellationToken).ConfigureAwait(false)
            : report;
    }

    /// <summary>The monthly productivity report of <paramref name="month"/> (computed now; not frozen).</summary>
    public async Task<ReportDocument> MonthlyAsync(int year, int month, CancellationToken cancellationToken)
    {
        CheckYear(year);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        var now = time.GetUtcNow();
        var (from, to) = ReportBuilder.MonthlySpan(year, month);
        var data = await inputs.LoadAsync(from, to, cancellationToken).ConfigureAwait(false);
        return builder.BuildMonthly(year, month, data, now, preliminary: StockholmTime.LocalDate(now) < to);
    }

    /// <summary>
    /// Writes the tertial report to <paramref name="output"/> (what <c>driftvy report tertial 2026 T2 --format xlsx -o …</c>
    /// calls). Returns the document written, e.g. to name the file with <see cref="ReportNames.FileName"/>.
    /// </summary>
    public async Task<ReportDocument> ExportTertialAsync(
        int year, TertialPoint point, ReportFormat format, Stream output, CancellationToken cancellationToken, ReportRun run = ReportRun.Frozen)
    {
        ArgumentNullException.ThrowIfNull(output);
        var report = await TertialAsync(year, point, run, cancellationToken).ConfigureAwait(false);
        await WriteAsync(report, format, output, cancellationToken).ConfigureAwait(false);
        return report;
    }

    public async Task<ReportDocument> ExportMonthlyAsync(int year, int month, ReportFormat format, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var report = await MonthlyAsync(year, month, cancellationToken).ConfigureAwait(false);
        await WriteAsync(report, format, output, cancellationToken).ConfigureAwait(false);
        return report;
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
