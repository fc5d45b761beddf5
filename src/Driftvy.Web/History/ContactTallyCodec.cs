using Driftvy.Domain.Contacts;

namespace Driftvy.Web.History;

/// <summary>
/// The stored form of a <see cref="ContactTally"/>: a version byte (so a later layout can still read what was written
/// years before), the counters as variable-length integers, the two sums of seconds as doubles, and the whole-second
/// wait histograms as (gap from the previous second, count) pairs of variable-length integers: a busy day's tally
/// takes a few hundred bytes rather than kilobytes. No personal data.
/// </summary>
internal static class ContactTallyCodec
{
    private const byte Version = 1;

    public static byte[] Encode(ContactTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        using var buffer = new MemoryStream(32 + ((tally.AnsweredWaits.Count + tally.AbandonedWaits.Count) * 3));
        using (var w = new BinaryWriter(buffer))
        {
            // BinaryWriter is little-endian on every platform.
            w.Write(Version);
            w.Write7BitEncodedInt64(tally.Offered);
            w.Write7BitEncodedInt64(tally.Answered);
            w.Write7BitEncodedInt64(tally.Abandoned);
            w.Write(tally.AnsweredWaitSecondsSum);
            w.Write7BitEncodedInt64(tally.HandledCount);
            w.Write(tally.HandleSecondsSum);
            w.Write7BitEncodedInt64(tally.FcrFlagged);
            w.Write7BitEncodedInt64(tally.FcrResolved);
            WriteHistogram(w, tally.AnsweredWaits);
            WriteHistogram(w, tally.AbandonedWaits);
        }

        return buffer.ToArray();
    }

    public static ContactTally Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 1 || bytes[0] != Version)
        {
            throw new InvalidDataException($"A stored contact tally has layout {(bytes.Length == 0 ? "(empty)" : bytes[0])}; this build reads layout {Version}.");
        }

        using var r = new BinaryReader(new MemoryStream(bytes, 1, bytes.Length - 1, writable: false));
        var offered = r.Read7BitEncodedInt64();
        var answered = r.Read7BitEncodedInt64();
        var abandoned = r.Read7BitEncodedInt64();
        var answeredWaitSum = r.ReadDouble();
        var handled = r.Read7BitEncodedInt64();
        var handleSum = r.ReadDouble();
        var fcrFlagged = r.Read7BitEncodedInt64();
        var fcrResolved = r.Read7BitEncodedInt64();
        var answeredWaits = ReadHistogram(r);
        var abandonedWaits = ReadHistogram(r);
        return ContactTally.FromCounters(offered, answered, abandoned, answeredWaitSum, handled, handleSum, fcrFlagged, fcrResolved, answeredWaits, abandonedWaits);
    }

    private static void WriteHistogram(BinaryWriter w, WaitHistogram waits)
    {
        // Whole seconds are never negative (ContactTally.WaitBucket), so ascending gaps fit unsigned varints.
        w.Write7BitEncodedInt(waits.Count);
        var previous = 0;
        foreach (var (seconds, count) in waits)
        {
            w.Write7BitEncodedInt(seconds - previous);
            w.Write7BitEncodedInt64(count);
            previous = seconds;
        }
    }

    private static List<KeyValuePair<int, long>> ReadHistogram(BinaryReader r)
    {
        var n = r.Read7BitEncodedInt();
        var list = new List<KeyValuePair<int, long>>(n);
        var seconds = 0;
        for (var i = 0; i < n; i++)
        {
            seconds += r.Read7BitEncodedInt();
            list.Add(new(seconds, r.Read7BitEncodedInt64()));
        }

        return list;
    }
}
