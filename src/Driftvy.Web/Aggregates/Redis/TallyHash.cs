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

    public static ContactTally FromFields(HashEntry[] entries)
    {
        long o = 0, a = 0, ab = 0, hc = 0, ff = 0, fr = 0;
        double aws = 0, hs = 0;
        var answered = new List<KeyValuePair<int, long>>();
        var abandoned = new List<KeyValuePair<int, long>>();
        foreach (var e in entries)
        {
            var name = (string)e.Name!;
            switch (name)
            {
                case "o": o = (long)e.Value; break;
                case "a": a = (long)e.Value; break;
                case "ab": ab = (long)e.Value; break;
                case "hc": hc = (long)e.Value; break;
                case "ff": ff = (long)e.Value; break;
                case "fr": fr = (long)e.Value; break;
                case "aws": aws = (double)e.Value; break;
                case "hs": hs = (double)e.Value; break;
                default:
                    var seconds = int.Parse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture);
                    (name[0] == 'w' ? answered : abandoned).Add(new(seconds, (long)e.Value));
                    break;
            }
        }

        return ContactTally.FromCounters(o, a, ab, aws, hc, hs, ff, fr, answered, abandoned);
    }

    private static void AddIfNonZero(List<KeyValuePair<string, RedisValue>> fields, string name, long value)
    {
        if (value != 0)
        {
            fields.Add(new(name, value));
        }
    }
}
