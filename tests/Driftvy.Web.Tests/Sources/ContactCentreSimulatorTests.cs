using Driftvy.Domain.Calendar;
using Driftvy.Web.Sources.Simulator;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Tests.Sources;

public sealed class ContactCentreSimulatorTests
{
    // Monday 2026-03-02 09:40 in Stockholm (UTC+1): the morning peak of a working day.
    private static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 9, 40, 0, TimeSpan.FromHours(1));

    private static ContactCentreSimulator Create(TimeProvider time, SimulatorMode mode = SimulatorMode.OpeningHours, int seed = 7) =>
        new(Options.Create(new SimulatorOptions { Mode = mode, Seed = seed }), time);

    [Fact]
    public async Task PollAsync_FirstPollOfTheDay_ReplaysTheDayFromLocalMidnight()
    {
        var time = new FakeTimeProvider(MondayMorning);
        var poll = await Create(time).PollAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(poll.Contacts);
        var day = StockholmTime.LocalDate(MondayMorning);
        Assert.All(poll.Contacts, c => Assert.Equal(day, StockholmTime.LocalDate(c.OfferedAt)));
        Assert.All(poll.Contacts, c => Assert.True(c.OfferedAt <= MondayMorning, "no contact is offered in the future"));
        Assert.Equal(poll.Contacts.Count, poll.Contacts.Select(c => c.ContactId).Distinct().Count());
        Assert.Equal(4, poll.Snapshots.Count);
    }

    [Fact]
    public async Task PollAsync_ReplayedAfterRestart_YieldsTheSameContacts()
    {
        var first = await Create(new FakeTimeProvider(MondayMorning)).PollAsync(TestContext.Current.CancellationToken);
        var again = await Create(new FakeTimeProvider(MondayMorning)).PollAsync(TestContext.Current.CancellationToken);

        Assert.Equal(first.Contacts, again.Contacts);
    }

    [Fact]
    public async Task PollAsync_SuccessivePolls_DeliverEachContactOnce()
    {
        var time = new FakeTimeProvider(MondayMorning);
        var simulator = Create(time);
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var poll = await simulator.PollAsync(TestContext.Current.CancellationToken);
            ids.AddRange(poll.Contacts.Select(c => c.ContactId));
            time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task PollAsync_MorningPeak_ProducesBelievableQueueBehaviour()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.FromHours(1)));
        var poll = await Create(time).PollAsync(TestContext.Current.CancellationToken);
        var kc = poll.Contacts.Where(c => c.Queue == "kc-stockholm").ToList();

        // Three opening hours at up to ~480 calls an hour: hundreds of calls, mostly answered,
        // some abandoned, and waits that spread over more than a minute at the peak.
        Assert.InRange(kc.Count, 600, 2000);
        var answered = kc.Count(c => c.IsAnswered);
        var abandoned = kc.Count(c => c.IsAbandoned);
        Assert.InRange((double)answered / kc.Count, 0.6, 0.99);
        Assert.True(abandoned > 0, "some callers hang up");
        Assert.Contains(kc, c => c.IsAnswered && c.Wait > TimeSpan.FromSeconds(60));
        Assert.Contains(kc, c => c.IsAnswered && c.Wait < TimeSpan.FromSeconds(20));
        Assert.All(kc.Where(c => c.IsAnswered), c => Assert.True(c.EndedAt > c.AnsweredAt));
    }

    [Fact]
    public async Task PollAsync_OpeningHoursModeAtNight_OffersNoCalls()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 3, 6, 30, 0, TimeSpan.FromHours(1)));
        var poll = await Create(time).PollAsync(TestContext.Current.CancellationToken);

        Assert.Empty(poll.Contacts);
        Assert.All(poll.Snapshots, s => Assert.Equal(0, s.Waiting));
    }

    [Fact]
    public async Task PollAsync_DemoModeOnASundayNight_StillMoves()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.FromHours(1)));
        var simulator = Create(time, SimulatorMode.Demo);
        await simulator.PollAsync(TestContext.Current.CancellationToken);
        var delivered = 0;
        for (var i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            delivered += (await simulator.PollAsync(TestContext.Current.CancellationToken)).Contacts.Count;
        }

        Assert.True(delivered > 0, "a demo wall screen shows movement within a minute at any hour");
    }

    [Fact]
    public async Task PollAsync_AcrossMidnight_StartsANewDayAndFinishesTheOld()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 23, 59, 0, TimeSpan.FromHours(1)));
        var simulator = Create(time, SimulatorMode.Demo);
        await simulator.PollAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMinutes(2));
        var poll = await simulator.PollAsync(TestContext.Current.CancellationToken);

        Assert.Contains(poll.Contacts, c => StockholmTime.LocalDate(c.OfferedAt) == new DateOnly(2026, 3, 2));
        Assert.Contains(poll.Contacts, c => StockholmTime.LocalDate(c.OfferedAt) == new DateOnly(2026, 3, 3));
    }
}
