using Driftvy.Web.Aggregates;
using Driftvy.Web.Aggregates.Redis;

namespace Driftvy.Web.Tests.Aggregates;

/// <summary>The Redis store's key layout and embedded scripts, without a server.</summary>
public sealed class RedisKeyLayoutTests
{
    [Fact]
    public void Keys_OfOneBucket_FollowTheDocumentedLayout()
    {
        var keys = new RedisKeyLayout("driftvy:");
        var quarter = new DateTimeOffset(2026, 3, 2, 8, 15, 0, TimeSpan.Zero);

        Assert.Equal("driftvy:t:kc:q:202603020815", keys.Tally(BucketKey.For("kc", Granularity.Quarter, quarter)));
        Assert.Equal("driftvy:t:kc:q:", keys.QuarterPrefix("kc"));
        Assert.Equal("driftvy:qi:kc:" + BucketKey.ForDay("kc", new DateOnly(2026, 3, 2)).Label, keys.QuarterIndex("kc", new DateOnly(2026, 3, 2)));
        Assert.Equal("driftvy:live:kc", keys.Snapshot("kc"));
        Assert.Equal(quarter, RedisKeyLayout.ParseQuarterLabel(RedisKeyLayout.QuarterLabel(quarter)));
    }

    [Fact]
    public void Scripts_AreEmbeddedInTheAssembly_AsTheirLuaFiles()
    {
        // The fold's compare-and-set on the watermark, and the read's two leading values, are what the C# relies on.
        Assert.StartsWith("-- Folds one batch", RedisScripts.Apply, StringComparison.Ordinal);
        Assert.Contains("if expected >= 0 and wm ~= expected then return 0 end", RedisScripts.Apply, StringComparison.Ordinal);
        Assert.StartsWith("-- Reads everything a board needs", RedisScripts.Query, StringComparison.Ordinal);
        Assert.Contains("local out = { redis.call('GET', KEYS[1]) or '0', redis.call('GET', KEYS[2]) or '0' }", RedisScripts.Query, StringComparison.Ordinal);
    }
}
