namespace Driftvy.Web.Reports.Snapshots;

/// <summary>
/// A frozen report: the whole report document as JSON (values, KPI versions, formulas, the inputs'
/// checksums) and when it was computed. Exporting it again gives the same bytes, whatever data arrives later.
/// </summary>
public sealed class ReportSnapshot
{
    public long Id { get; set; }

    /// <summary><c>tertial</c> (monthly reports are not frozen).</summary>
    public required string Kind { get; set; }

    public int Year { get; set; }

    /// <summary><c>T1</c>, <c>T2</c> or <c>VB</c>.</summary>
    public required string Period { get; set; }

    /// <summary>The run time the report was computed at (Unix milliseconds, UTC).</summary>
    public long FrozenAtMs { get; set; }

    /// <summary>The KPI versions used, e.g. <c>customer_invoices_per_fte v2, kc_asa v1</c>.</summary>
    public required string KpiVersions { get; set; }

    /// <summary>SHA-256 of the inputs, part by part, as JSON.</summary>
    public required string InputChecksums { get; set; }

    /// <summary>The report document as JSON (see JsonReportWriter).</summary>
    public required string Document { get; set; }

    /// <summary>Every export format as rendered when the report was fixed.</summary>
    public List<ReportSnapshotFile> Files { get; set; } = [];
}
