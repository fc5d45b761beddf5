using Driftvy.Web.Sources;
using Driftvy.Web.Sources.Telephony;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Tests.Sources;

/// <summary>How long each source may be silent: settings per source and channel, working time for limits of a day or more.</summary>
public sealed class SourceCadenceTests
{
    // Friday 27 November 2026, 18:00 in Stockholm (17:00 UTC).
    private static readonly DateTimeOffset FridayEvening = new(2026, 11, 27, 17, 0, 0, TimeSpan.Zero);

    private static SourceCadence Cadence(Action<SourceCadenceOptions>? configure = null)
    {
        var options = new SourceCadenceOptions();
        configure?.Invoke(options);
        return new SourceCadence(Options.Create(options), Options.Create(new TelephonyOptions { PollInterval = TimeSpan.FromSeconds(5) }));
    }

    private static SourceStatus Delivered(string source, string channel, DateTimeOffset at, TimeSpan? staleAfter = null) =>
        new(source, at, null, null, 10, 1) { Channel = channel, StaleAfter = staleAfter };

    [Fact]
    public void SilentAfter_EachChannel_HasItsOwnDefault()
    {
        var cadence = Cadence();

        Assert.Equal(TimeSpan.FromSeconds(15), cadence.SilentAfter(Delivered("telefoni", "poll", FridayEvening)));
        Assert.Equal(TimeSpan.FromMinutes(3), cadence.SilentAfter(Delivered("case-api", "http-poll", FridayEvening, TimeSpan.FromMinutes(3))));
        Assert.Equal(TimeSpan.FromHours(26), cadence.SilentAfter(Delivered("ekonomi", "push", FridayEvening)));
        Assert.Equal(TimeSpan.FromHours(26), cadence.SilentAfter(Delivered("agresso", "drop-folder", FridayEvening)));
        Assert.Null(cadence.SilentAfter(Delivered("manual", "cli", FridayEvening)));
    }

    [Fact]
    public void SilentAfter_SourceSetting_WinsOverItsChannelAndZeroMeansNotWatched()
    {
        var cadence = Cadence(o =>
        {
            o.Sources["ekonomi-historik"] = TimeSpan.Zero;
            o.Sources["lon"] = TimeSpan.FromHours(2);
            o.Channels["push"] = TimeSpan.FromHours(50);
        });

        Assert.Null(cadence.SilentAfter(Delivered("ekonomi-historik", "push", FridayEvening)));
        Assert.Equal(TimeSpan.FromHours(2), cadence.SilentAfter(Delivered("lon", "push", FridayEvening)));
        Assert.Equal(TimeSpan.FromHours(50), cadence.SilentAfter(Delivered("other", "push", FridayEvening)));
    }

    [Fact]
    public void IsLate_NightlyPushOverAWeekend_IsNotLateUntilMondayEvening()
    {
        var cadence = Cadence();
        var push = Delivered("ekonomi", "push", FridayEvening);

        // Six working hours of Friday are left at 18:00; Saturday and Sunday do not count.
        Assert.False(cadence.IsLate(push, FridayEvening.AddDays(3)));
        Assert.Equal(TimeSpan.FromHours(6 + 18), cadence.Silence(push, FridayEvening.AddDays(3)));
        // Monday 21:00 is 6 + 21 = 27 working hours later: a working day and a bit without anything.
        Assert.True(cadence.IsLate(push, FridayEvening.AddDays(3).AddHours(3)));
    }

    [Fact]
    public void Silence_OverChristmas_CountsNoHoliday()
    {
        var cadence = Cadence();
        // Wednesday 23 December 2026 at 12:00 Stockholm; julafton, juldagen and annandag jul, then the weekend.
        var before = new DateTimeOffset(2026, 12, 23, 11, 0, 0, TimeSpan.Zero);
        var push = Delivered("ekonomi", "push", before);

        Assert.Equal(TimeSpan.FromHours(12), cadence.Silence(push, new DateTimeOffset(2026, 12, 28, 0, 0, 0, TimeSpan.FromHours(1))));
        Assert.False(cadence.IsLate(push, new DateTimeOffset(2026, 12, 28, 12, 0, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void IsLate_PollThatNeverDelivered_IsLateButANightlyPushIsNot()
    {
        var cadence = Cadence();

        Assert.True(cadence.IsLate(new SourceStatus("telefoni", null, null, null, 0, 0) { Channel = "poll" }, FridayEvening));
        Assert.False(cadence.IsLate(new SourceStatus("ekonomi", null, null, null, 0, 0) { Channel = "push" }, FridayEvening));
        Assert.True(cadence.IsLate(Delivered("telefoni", "poll", FridayEvening), FridayEvening.AddSeconds(16)));
        Assert.False(cadence.IsLate(Delivered("telefoni", "poll", FridayEvening), FridayEvening.AddSeconds(14)));
    }
}
