namespace Driftvy.Web.Reports;

/// <summary>Answer of <c>POST /api/reports/tertial/{year}/{period}/fix</c>: the report fixed, by whom and when, and the checksums of its inputs.</summary>
/// <param name="Year">The report's year.</param>
/// <param name="Point">T1, T2 or VB.</param>
/// <param name="Fixed">Who fixed it and when.</param>
/// <param name="InputChecksums">Checksum of each input the report was computed from.</param>
public sealed record ReportFixAnswer(int Year, string Point, ReportFixing? Fixed, IReadOnlyDictionary<string, string> InputChecksums);
