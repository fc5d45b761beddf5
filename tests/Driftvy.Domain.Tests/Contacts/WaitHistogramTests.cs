using Driftvy.Domain.Contacts;

namespace Driftvy.Domain.Tests.Contacts;

public sealed class WaitHistogramTests
{
    [Fact]
    public void IncrementAndAdd_InAnyOrder_MatchASortedDictionaryAndEnumerateAscending()
    {
        var random = new Random(20261130);
        var reference = new SortedDictionary<int, long>();
        var histogram = new WaitHistogram();
        for (var round = 0; round < 200; round++)
        {
            var other = new WaitHistogram();
            for (var i = random.Next(0, 30); i > 0; i--)
            {
                var second = random.Next(0, 3) == 0 ? int.MaxValue : random.Next(0, 400);
                var by = random.Next(0, 50);
                other.Increment(second, by);
                reference[second] = reference.GetValueOrDefault(second) + by;
            }

            if (round % 2 == 0)
            {
                histogram.Add(other);
            }
            else
            {
                foreach (var (second, n) in other.Reverse())
                {
                    histogram.Increment(second, n);
                }
            }
        }

        Assert.Equal(reference.ToList(), histogram.ToList());
        Assert.Equal(reference.Count, histogram.Count);
        Assert.Equal(reference.Values.Sum(), histogram.Total());
        Assert.Equal(reference.Where(x => x.Key <= 60).Sum(x => x.Value), histogram.CountAtMost(60));
        Assert.Equal(reference.Keys.Max(), histogram.MaxSecond);
        Assert.True(histogram.TryGetValue(reference.Keys.First(), out var first));
        Assert.Equal(reference.Values.First(), first);
        Assert.False(histogram.ContainsKey(-1));
    }

    [Fact]
    public void Add_SameSeconds_SumsInPlaceAndLeavesTheOtherAlone()
    {
        var a = new WaitHistogram();
        var b = new WaitHistogram();
        foreach (var s in new[] { 0, 5, 61 })
        {
            a.Increment(s, 1);
            b.Increment(s, 10);
        }

        a.Add(b);
        a.Add(new WaitHistogram());

        Assert.Equal([new(0, 11L), new(5, 11L), new KeyValuePair<int, long>(61, 11L)], a.ToList());
        Assert.Equal(30, b.Total());
    }

    [Fact]
    public void Add_IntoEmpty_CopiesSoLaterChangesDoNotLeak()
    {
        var source = new WaitHistogram();
        source.Increment(7, 2);
        var copy = new WaitHistogram();
        copy.Add(source);
        copy.Increment(7, 1);

        Assert.Equal(2, source[7]);
        Assert.Equal(3, copy[7]);
        Assert.Throws<KeyNotFoundException>(() => copy[8]);
    }
}
