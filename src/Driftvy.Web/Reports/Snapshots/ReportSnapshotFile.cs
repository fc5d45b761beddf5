namespace Driftvy.Web.Reports.Snapshots;

/// <summary>
/// A frozen report as one export format rendered at fixing time (table <c>report_snapshot_files</c>). Served as stored,
/// so the file stays byte-identical even when a later library (OpenXml, the chart renderer) would write other bytes.
/// </summary>
public sealed class ReportSnapshotFile
{
    public long Id { get; set; }

    public long SnapshotId { get; set; }

    /// <summary><c>xlsx</c>, <c>csv</c>, <c>json</c> or <c>html</c>.</summary>
    public required string Format { get; set; }

    public required byte[] Content { get; set; }

    /// <summary>SHA-256 of <see cref="Content"/> in lower-case hex, for checking a copy against the stored one.</summary>
    public required string Sha256 { get; set; }
}
