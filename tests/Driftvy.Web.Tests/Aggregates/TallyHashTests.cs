using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates.Redis;
using StackExchange.Redis;

namespace Driftvy.Web.Tests.Aggregates;

public sealed class TallyHashTests
{
    public static TheoryData<string> Thresholds => new() { "", "5", "9", "10", "5,60", "55,60", "0,19,20,21,180" };

    [Theory]
    [MemberData(nameof(Thresholds))]
    public void ProjectionFields_ReadFromAStoredHash_GiveWhatTheDomainsProjectionGives(string list)
    {
        int[] thresholds = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];
        var random = new Random(thresholds.Sum() + 7);
        var tally = new ContactTally();
        var start = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 2_000; i++)
        {
            var offered = start.AddSeconds(i);
            var wait = TimeSpan.FromMilliseconds(random.Next(0, 400_000));
            tally.Add(random.NextDouble() < 0.8
                ? new ContactRecord($"c{i}", Channel.Phone, "kc", offered, offered + wait, null, offered + wait + TimeSpan.FromSeconds(90), random.NextDouble() < 0.5)
                : new ContactRecord($"c{i}", Channel.Phone, "kc", offered, null, offered + wait, null, null));
        }

        // The hash as Redis holds it, and HMGET of the projection's fields from it (absent fields are null).
        var hash = TallyHash.ToFields(tally).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var names = TallyHash.ProjectionFields(thresholds);
        Assert.NotNull(names);
        var values = names.Select(n => hash.TryGetValue((string)n!, out var v) ? v : RedisValue.Null).ToArray();

        var read = TallyHash.FromProjectionFields(values, thresholds);

        var expected = tally.ProjectOnto(thresholds);
        Assert.Equal(expected.AnsweredWaits, read.AnsweredWaits);
        Assert.Equal(expected.AbandonedWaits, read.AbandonedWaits);
        Assert.Equal((expected.Offered, expected.Answered, expected.Abandoned, expected.HandledCount, expected.FcrFlagged, expected.FcrResolved), (read.Offered, read.Answered, read.Abandoned, read.HandledCount, read.FcrFlagged, read.FcrResolved));
        Assert.Equal(expected.AnsweredWaitSecondsSum, read.AnsweredWaitSecondsSum, 6);
        Assert.Equal(expected.HandleSecondsSum, read.HandleSecondsSum, 6);
        Assert.True(names.Length < 60, $"{names.Length} fields instead of the {hash.Count} of the whole hash");
    }

    [Fact]
    public void FromFields_WholeHashWithBlockSums_KeepsEverySecondOnce()
    {
        var tally = new ContactTally();
        var start = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
        int[] waits = [3, 12, 12, 19, 250];
        foreach (var (wait, i) in waits.Select((w, i) => (w, i)))
        {
            tally.Add(new ContactRecord($"c{i}", Channel.Phone, "kc", start, start.AddSeconds(wait), null, start.AddSeconds(wait + 60), null));
        }

        var flat = TallyHash.ToFields(tally).SelectMany(f => new[] { (RedisValue)f.Key, f.Value }).ToArray();

        var read = TallyHash.FromFields(flat);

        Assert.Contains(flat, v => v == "W1");
        Assert.Equal(tally.AnsweredWaits, read.AnsweredWaits);
        Assert.Equal(5, read.Answered);
    }

    [Fact]
    public void ProjectionFields_ThresholdsOfManyMinutes_ReadTheWholeHashInstead()
    {
        Assert.Null(TallyHash.ProjectionFields([60, 1_800]));
    }
}
