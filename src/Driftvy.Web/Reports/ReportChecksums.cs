using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Driftvy.Web.Reports;

/// <summary>
/// SHA-256 of each part of a report's inputs in a canonical binary form (sorted, fixed-width little-endian
/// numbers, length-prefixed UTF-8 text), so a frozen report records exactly what it was computed from and a
/// later run can say which inputs changed. Binary rather than text: a report over years of day buckets
/// hashes millions of histogram entries.
/// </summary>
public static class ReportChecksums
{
    public static SortedDictionary<string, string> Compute(ReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var bo = data.BackOffice;
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["contacts"] = Hash(h =>
            {
                foreach (var c in data.Contacts)
                {
                    var t = c.Tally;
                    h.Text(c.Queue).Int(c.Date.DayNumber).Long(t.Offered).Long(t.Answered).Long(t.Abandoned).Double(t.AnsweredWaitSecondsSum)
                        .Long(t.HandledCount).Double(t.HandleSecondsSum).Long(t.FcrFlagged).Long(t.FcrResolved);
                    h.Int(t.AnsweredWaits.Count);
                    foreach (var (k, n) in t.AnsweredWaits)
                    {
                        h.Int(k).Long(n);
                    }

                    h.Int(t.AbandonedWaits.Count);
                    foreach (var (k, n) in t.AbandonedWaits)
                    {
                        h.Int(k).Long(n);
                    }
                }
            }),
            ["volumes"] = Hash(h =>
            {
                foreach (var v in bo.Volumes.OrderBy(v => v.Team, StringComparer.Ordinal).ThenBy(v => v.Kind, StringComparer.Ordinal).ThenBy(v => v.Date).ThenBy(v => v.Count))
                {
                    h.Text(v.Team).Text(v.Kind).Int(v.Date.DayNumber).Long(v.Count);
                }
            }),
            ["staffing"] = Hash(h =>
            {
                foreach (var s in bo.Staffing.OrderBy(s => s.Team, StringComparer.Ordinal).ThenBy(s => s.Year).ThenBy(s => s.Month).ThenBy(s => s.Fte))
                {
                    h.Text(s.Team).Int(s.Year).Int(s.Month).Decimal(s.Fte);
                }
            }),
            ["cases"] = Hash(h =>
            {
                foreach (var c in bo.Cases.OrderBy(c => c.CaseId, StringComparer.Ordinal).ThenBy(c => c.Team, StringComparer.Ordinal).ThenBy(c => c.OpenedAt.UtcTicks))
                {
                    h.Text(c.CaseId).Text(c.Team).Text(c.Kind).Long(c.OpenedAt.UtcTicks).Long(c.ClosedAt?.UtcTicks ?? -1).Int(c.PromisedDays ?? -1);
                }
            }),
            ["entered"] = Hash(h =>
            {
                foreach (var e in bo.Entered.OrderBy(e => e.KpiId, StringComparer.Ordinal).ThenBy(e => e.PeriodId, StringComparer.Ordinal).ThenBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.Value))
                {
                    h.Text(e.KpiId).Text(e.PeriodId).Double(e.Value).Text(e.Source);
                }

                foreach (var g in bo.GenderSplits.OrderBy(g => g.KpiId, StringComparer.Ordinal).ThenBy(g => g.PeriodId, StringComparer.Ordinal).ThenBy(g => g.Men).ThenBy(g => g.Women))
                {
                    h.Text(g.KpiId).Text(g.PeriodId).Double(g.Men).Double(g.Women);
                }
            }),
        };
    }

    private static string Hash(Action<Hasher> write)
    {
        using var hasher = new Hasher();
        write(hasher);
        return hasher.Finish();
    }

    private sealed class Hasher : IDisposable
    {
        // Fields are gathered in a buffer and hashed in large blocks: one hash call per field would dominate.
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _used;

        public Hasher Int(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);
            return this;
        }

        public Hasher Long(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);
            return this;
        }

        public Hasher Double(double value)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(Take(8), value);
            return this;
        }

        public Hasher Decimal(decimal value)
        {
            // Normalised, so 10 and 10.0 hash alike.
            foreach (var b in decimal.GetBits(value / 1.000000000000000000000000000000000m))
            {
                Int(b);
            }

            return this;
        }

        public Hasher Text(string value)
        {
            // The same bytes whether they go through the buffer (short texts: team, kind, queue) or straight in.
            var length = Encoding.UTF8.GetByteCount(value);
            Int(length);
            if (length <= 256)
            {
                Encoding.UTF8.GetBytes(value, Take(length));
            }
            else
            {
                Flush();
                _sha.AppendData(Encoding.UTF8.GetBytes(value));
            }

            return this;
        }

        public string Finish()
        {
            Flush();
            return Convert.ToHexStringLower(_sha.GetHashAndReset());
        }

        public void Dispose() => _sha.Dispose();

        private Span<byte> Take(int count)
        {
            if (_used + count > _buffer.Length)
            {
                Flush();
            }

            var span = _buffer.AsSpan(_used, count);
            _used += count;
            return span;
        }

        private void Flush()
        {
            _sha.AppendData(_buffer, 0, _used);
            _used = 0;
        }
    }
}
