using System.Globalization;
using Driftvy.Domain.Contacts;
using StackExchange.Redis;

namespace Driftvy.Web.Aggregates.Redis;

/// <summary>
/// A <see cref="ContactTally"/> as the fields of a Redis hash: counters under short names, sums of
/// seconds as floats, and one field per whole second of wait (<c>w{s}</c> answered, <c>x{s}</c> abandoned).
/// </summary>
internal static class TallyHash
{
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

        foreach (var (s, n) in t.AnsweredWaits)
        {
            fields.Add(new("w" + s.ToString(CultureInfo.InvariantCulture), n));
        }

        foreach (var (s, n) in t.AbandonedWaits)
        {
            fields.Add(new("x" + s.ToString(CultureInfo.InvariantCulture), n));
        }

        return fields;
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
