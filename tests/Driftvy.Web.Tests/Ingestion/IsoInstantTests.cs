using System.Globalization;
using Driftvy.Web.Sources.Ingestion.Formats;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary>The fast reader of canonical instants never disagrees with the general parser it stands in for.</summary>
public sealed class IsoInstantTests
{
    [Theory]
    [InlineData("2026-11-23T08:15:00+01:00")]
    [InlineData("2026-03-29T01:59:59Z")]
    [InlineData("2024-02-29T23:00:00-05:30")]
    [InlineData("1999-12-31T00:00:00+13:59")]
    public void TryParseCanonical_CanonicalInstant_EqualsTheGeneralParser(string text)
    {
        Assert.True(IsoInstant.TryParseCanonical(text, out var fast), text);
        var general = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None);
        Assert.Equal((general.UtcTicks, general.Offset), (fast.UtcTicks, fast.Offset));
    }

    [Theory]
    [InlineData("2026-02-29T08:00:00+01:00")]
    [InlineData("2026-04-31T08:00:00Z")]
    [InlineData("2026-13-01T08:00:00Z")]
    [InlineData("2026-11-23T24:00:00Z")]
    [InlineData("2026-11-23T08:60:00Z")]
    [InlineData("2026-11-23T08:00:00+14:00")]
    [InlineData("2026-11-23 08:00:00+01:00")]
    [InlineData("2026-11-23t08:00:00z")]
    [InlineData("2026-11-23T08:00:00.5+01:00")]
    [InlineData("2026-11-23T08:00:00+0100")]
    [InlineData("2026-1１-23T08:00:00Z")]
    public void TryParseCanonical_AnythingElse_LeftToTheGeneralParser(string text) =>
        Assert.False(IsoInstant.TryParseCanonical(text, out _), text);

    [Fact]
    public void TryParseCanonical_RandomCandidates_AcceptsOnlyWhatTheGeneralParserReadsTheSame()
    {
#pragma warning disable CA5394 // Test data, not security.
        var random = new Random(4);
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = string.Create(CultureInfo.InvariantCulture,
                $"{random.Next(1890, 2100):0000}-{random.Next(0, 14):00}-{random.Next(0, 33):00}T{random.Next(0, 25):00}:{random.Next(0, 61):00}:{random.Next(0, 61):00}") +
                (random.Next(3) == 0 ? "Z" : string.Create(CultureInfo.InvariantCulture, $"{(random.Next(2) == 0 ? '+' : '-')}{random.Next(0, 15):00}:{random.Next(0, 61):00}"));
#pragma warning restore CA5394
            if (!IsoInstant.TryParseCanonical(text, out var fast))
            {
                continue;
            }

            accepted++;
            Assert.True(DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var general), text);
            Assert.Equal((general.UtcTicks, general.Offset), (fast.UtcTicks, fast.Offset));
        }

        Assert.True(accepted > 5_000, $"only {accepted} candidates were read the fast way");
    }
}
