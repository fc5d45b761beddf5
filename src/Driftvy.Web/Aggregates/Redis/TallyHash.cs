using System.Globalization;
using Driftvy.Domain.Contacts;
using StackExchange.Redis;

namespace Driftvy.Web.Aggregates.Redis;

/// <summary>
/// A <see cref="ContactTally"/> as the fields of a Redis hash: counters under short names, sums of
/// seconds as floats, one field per whole second of wait (<c>w{s}</c> answered, <c>x{s}</c> abandoned), and
/// the same waits summed per block of ten seconds (<c>W{b}</c>, <c>X{b}</c> for seconds 10b to 10b + 9).
/// </summary>
/// <remarks>
/// The blocks are what make a projected read small: the waits up to a threshold t are the blocks below it plus at
/// most ten seconds, so a tile's tally projected onto its thresholds (<see cref="ProjectionFields"/>) is a few dozen
/// fields read by name instead of the hundreds of seconds of a busy day. The seconds stay for the full histogram
/// (percentiles) and for thresholds that fall inside a block.
/// </remarks>
internal static class TallyHash
{
    /// <summary>Seconds per block.</summary>
    private const int Block = 10;

    /// <summary>Beyond this many fields a projection reads the whole hash instead (thresholds of many minutes).</summary>
    private const int MaxProjectionFields = 160;

    private static readonly string[] Counters = ["o", "a", "ab", "hc", "ff", "fr", "aws", "hs"];

    public static List<KeyValuePair<string, RedisValue>> ToFields(ContactTally t)
    {
        var fields = new List<KeyValuePair<string, RedisValue>>(10 + t.AnsweredWaits.Count + t.AbandonedWaits.Count);
        AddIfNonZero(fields, "o", t.Offered);
        AddIfNonZero(fields, "a", t.Answered);
        AddIfNonZero(fields, "ab", t.Abandoned);
        AddIfNonZero(fields, "hc", t.HandledCount);
        AddIfNonZero(fields, "ff", t.FcrFlagged);
        AddIfNonZero(fields, "fr", t.FcrResolved);
        if (t.AnsweredWaitSecondsSum != 0)
        {
            fields.Add(new("aws", t.AnsweredWaitSecondsSum.ToString("R", CultureInfo.InvariantCulture)));
        }

        if (t.HandleSecondsSum != 0)
        {
            fields.Add(new("hs", t.HandleSecondsSum.ToString("R", CultureInfo.InvariantCulture)));
        }

        AddWaits(fields, 'w', 'W', t.AnsweredWaits);
        AddWaits(fields, 'x', 'X', t.AbandonedWaits);
        return fields;
    }

    /// <summary>
    /// The fields to read (in order) for a tally projected onto <paramref name="thresholds"/>, to be turned into one by
    /// <see cref="FromProjectionFields"/>; null when that would be more fields than reading the whole hash is worth.
    /// </summary>
    public static RedisValue[]? ProjectionFields(IReadOnlyList<int> thresholds)
    {
        var fields = new List<RedisValue>(Counters.Length + 40);
        fields.AddRange(Counters.Select(c => (RedisValue)c));
        foreach (var (second, block) in new[] { ('w', 'W'), ('x', 'X') })
        {
            var blocks = thresholds.Count == 0 ? 0 : BlocksUpTo(thresholds[^1]);
            for (var b = 0; b < blocks; b++)
            {
                fields.Add(block + b.ToString(CultureInfo.InvariantCulture));
            }

            foreach (var t in thresholds)
            {
                for (var sec = BlocksUpTo(t) * Block; sec <= t; sec++)
                {
                    fields.Add(second + sec.ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        return fields.Count > MaxProjectionFields ? null : [.. fields];
    }

    /// <summary>
    /// A tally projected onto <paramref name="thresholds"/> (as <see cref="ContactTally.ProjectOnto"/> gives it) from the
    /// values of <see cref="ProjectionFields"/>: the waits up to each threshold are its full blocks and the seconds
    /// after them; those above the last are the answered (abandoned) count less everything up to it.
    /// </summary>
    public static ContactTally FromProjectionFields(RedisValue[] values, IReadOnlyList<int> thresholds)
    {
        var i = Counters.Length;
        var answered = Projected(values, ref i, thresholds, (long)values[1]);
        var abandoned = Projected(values, ref i, thresholds, (long)values[2]);
        return ContactTally.FromCounters(
            (long)values[0], (long)values[1], (long)values[2], (double)values[6], (long)values[3], (double)values[7], (long)values[4], (long)values[5],
            answered, abandoned);
    }

    private static List<KeyValuePair<int, long>> Projected(RedisValue[] values, ref int i, IReadOnlyList<int> thresholds, long total)
    {
        var blocks = thresholds.Count == 0 ? 0 : BlocksUpTo(thresholds[^1]);
        var blockSums = new long[blocks + 1];
        for (var b = 0; b < blocks; b++)
        {
            blockSums[b + 1] = blockSums[b] + (long)values[i++];
        }

        var result = new List<KeyValuePair<int, long>>(thresholds.Count + 1);
        long below = 0;
        foreach (var t in thresholds)
        {
            var upTo = blockSums[BlocksUpTo(t)];
            for (var sec = BlocksUpTo(t) * Block; sec <= t; sec++)
            {
                upTo += (long)values[i++];
            }

            if (upTo > below)
            {
                result.Add(new(t, upTo - below));
            }

            below = upTo;
        }

        if (total > below)
        {
            result.Add(new(int.MaxValue, total - below));
        }

        return result;
    }

    /// <summary>How many whole blocks lie within seconds 0..t.</summary>
    private static int BlocksUpTo(int t) => (int)((t + 1L) / Block);

    private static void AddWaits(List<KeyValuePair<string, RedisValue>> fields, char second, char block, WaitHistogram waits)
    {
        var blocks = new SortedDictionary<int, long>();
        foreach (var (s, n) in waits)
        {
            fields.Add(new(second + s.ToString(CultureInfo.InvariantCulture), n));
            blocks[s / Block] = blocks.GetValueOrDefault(s / Block) + n;
        }

        foreach (var (b, n) in blocks)
        {
            fields.Add(new(block + b.ToString(CultureInfo.InvariantCulture), n));
        }
    }

    /// <summary>
    /// A tally from a hash's fields as HGETALL returns them (name, value, name, value, ...), its waits projected onto
    /// <paramref name="thresholds"/> as they are read (the same result as <see cref="ContactTally.ProjectOnto"/>, without
    /// building the full histograms first); null keeps every second.
    /// </summary>
    public static ContactTally FromFields(RedisValue[] flat, IReadOnlyList<int>? thresholds = null)
    {
        long o = 0, a = 0, ab = 0, hc = 0, ff = 0, fr = 0;
        double aws = 0, hs = 0;
        var answered = new Waits(thresholds);
        var abandoned = new Waits(thresholds);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            var name = (byte[])flat[i]!;
            var value = flat[i + 1];
            if (name.Length > 1 && (name[0] == (byte)'W' || name[0] == (byte)'X'))
            {
                // Block sums: the seconds below say the same in full.
                continue;
            }

            if (name.Length > 1 && (name[0] == (byte)'w' || name[0] == (byte)'x') && Seconds(name) is { } seconds)
            {
                (name[0] == (byte)'w' ? answered : abandoned).Add(seconds, (long)value);
                continue;
            }

            switch (System.Text.Encoding.ASCII.GetString(name))
            {
                case "o": o = (long)value; break;
                case "a": a = (long)value; break;
                case "ab": ab = (long)value; break;
                case "hc": hc = (long)value; break;
                case "ff": ff = (long)value; break;
                case "fr": fr = (long)value; break;
                case "aws": aws = (double)value; break;
                case "hs": hs = (double)value; break;
                default: throw new FormatException($"Unknown aggregate field '{System.Text.Encoding.ASCII.GetString(name)}'.");
            }
        }

        return ContactTally.FromCounters(o, a, ab, aws, hc, hs, ff, fr, answered.Counts, abandoned.Counts);
    }

    /// <summary>A hash's entries as HGETALL sends them: name, value, name, value, ...</summary>
    public static RedisValue[] Flatten(HashEntry[] entries)
    {
        var flat = new RedisValue[entries.Length * 2];
        for (var i = 0; i < entries.Length; i++)
        {
            flat[2 * i] = entries[i].Name;
            flat[(2 * i) + 1] = entries[i].Value;
        }

        return flat;
    }

    /// <summary>The whole seconds after a wait field's letter; null when they are not digits.</summary>
    private static int? Seconds(byte[] name)
    {
        var seconds = 0;
        for (var i = 1; i < name.Length; i++)
        {
            var digit = name[i] - '0';
            if (digit is < 0 or > 9 || seconds > (int.MaxValue - digit) / 10)
            {
                return null;
            }

            seconds = (seconds * 10) + digit;
        }

        return seconds;
    }

    /// <summary>A wait histogram as it is read: per second, or per threshold (the first at or above each wait).</summary>
    private sealed class Waits(IReadOnlyList<int>? thresholds)
    {
        private readonly long[]? _projected = thresholds is null ? null : new long[thresholds.Count + 1];
        private readonly List<KeyValuePair<int, long>> _seconds = [];

        public void Add(int seconds, long count)
        {
            if (_projected is null)
            {
                _seconds.Add(new(seconds, count));
                return;
            }

            var at = 0;
            while (at < thresholds!.Count && seconds > thresholds[at])
            {
                at++;
            }

            _projected[at] += count;
        }

        public IEnumerable<KeyValuePair<int, long>> Counts => _projected is null
            ? _seconds
            : _projected.Select((n, i) => new KeyValuePair<int, long>(i < thresholds!.Count ? thresholds[i] : int.MaxValue, n)).Where(p => p.Value != 0);
    }

    private static void AddIfNonZero(List<KeyValuePair<string, RedisValue>> fields, string name, long value)
    {
        if (value != 0)
        {
            fields.Add(new(name, value));
        }
    }
}
