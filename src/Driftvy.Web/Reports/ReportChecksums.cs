using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Driftvy.Web.Reports;

/// <summary>
/// SHA-256 of each part of a report's inputs in a canonical text form (sorted, invariant numbers), so a
/// frozen report records exactly what it was computed from and a later run can say which inputs changed.
/// </summary>
public static class ReportChecksums
{
    public static SortedDictionary<string, string> Compute(ReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var bo = data.BackOffice;
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["contacts"] = Hash(data.Contacts.Select(c =>
            {
                var t = c.Tally;
                var sb = new StringBuilder();
                sb.Append(CultureInfo.InvariantCulture, $"{c.Queue}|{c.Date:yyyy-MM-dd}|{t.Offered}|{t.Answered}|{t.Abandoned}|{t.AnsweredWaitSecondsSum:R}|{t.HandledCount}|{t.HandleSecondsSum:R}|{t.FcrFlagged}|{t.FcrResolved}|");
                foreach (var (k, n) in t.AnsweredWaits)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{k}:{n},");
                }

                sb.Append('|');
                foreach (var (k, n) in t.AbandonedWaits)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{k}:{n},");
                }

                return sb.ToString();
            })),
            ["volumes"] = Hash(bo.Volumes.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Team}|{v.Kind}|{v.Date:yyyy-MM-dd}|{v.Count}")).Order(StringComparer.Ordinal)),
            ["staffing"] = Hash(bo.Staffing.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Team}|{s.Year:0000}-{s.Month:00}|{s.Fte}")).Order(StringComparer.Ordinal)),
            ["cases"] = Hash(bo.Cases.Select(c => string.Create(CultureInfo.InvariantCulture,
                $"{c.CaseId}|{c.Team}|{c.Kind}|{c.OpenedAt.UtcTicks}|{c.ClosedAt?.UtcTicks}|{c.PromisedDays}")).Order(StringComparer.Ordinal)),
            ["entered"] = Hash(bo.Entered.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.KpiId}|{e.PeriodId}|{e.Value:R}|{e.Source}"))
                .Concat(bo.GenderSplits.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.KpiId}|{g.PeriodId}|men {g.Men:R}|women {g.Women:R}")))
                .Order(StringComparer.Ordinal)),
        };
    }

    private static string Hash(IEnumerable<string> lines)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(line));
            sha.AppendData("\n"u8);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
