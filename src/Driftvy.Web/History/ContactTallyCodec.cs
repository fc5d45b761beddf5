using Driftvy.Domain.Contacts;

namespace Driftvy.Web.History;

/// <summary>
/// The stored form of a <see cref="ContactTally"/>: counters and whole-second wait histograms, little-endian, with
/// a version byte so a later layout can still read what was written years before. No personal data.
/// </summary>
internal static class ContactTallyCodec
{
    private const byte Version = 1;

    public static byte[] Encode(ContactTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        using var buffer = new MemoryStream(1 + (8 * 8) + 8 + ((tally.AnsweredWaits.Count + tally.AbandonedWaits.Count) * 12));
        using (var w = new BinaryWriter(buffer))
        {
            // BinaryWriter is little-endian on every platform.
            w.Write(Version);
            w.Write(tally.Offered);
            w.Write(tally.Answered);
            w.Write(tally.Abandoned);
            w.Write(tally.AnsweredWaitSecondsSum);
            w.Write(tally.HandledCount);
            w.Write(tally.HandleSecondsSum);
            w.Write(tally.FcrFlagged);
            w.Write(tally.FcrResolved);
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
        var offered = r.ReadInt64();
        var answered = r.ReadInt64();
        var abandoned = r.ReadInt64();
        var answeredWaitSum = r.ReadDouble();
        var handled = r.ReadInt64();
        var handleSum = r.ReadDouble();
        var fcrFlagged = r.ReadInt64();
        var fcrResolved = r.ReadInt64();
        var answeredWaits = ReadHistogram(r);
        var abandonedWaits = ReadHistogram(r);
        return ContactTally.FromCounters(offered, answered, abandoned, answeredWaitSum, handled, handleSum, fcrFlagged, fcrResolved, answeredWaits, abandonedWaits);
    }

    private static void WriteHistogram(BinaryWriter w, IReadOnlyDictionary<int, long> waits)
    {
        w.Write(waits.Count);
        foreach (var (seconds, count) in waits.OrderBy(x => x.Key))
        {
            w.Write(seconds);
            w.Write(count);
        }
    }

    private static List<KeyValuePair<int, long>> ReadHistogram(BinaryReader r)
    {
        var n = r.ReadInt32();
        var list = new List<KeyValuePair<int, long>>(n);
        for (var i = 0; i < n; i++)
        {
            list.Add(new(r.ReadInt32(), r.ReadInt64()));
        }

        return list;
    }
}
