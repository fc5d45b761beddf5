using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;

namespace Driftvy.Web.Tests.Aggregates;

/// <summary>
/// The contract every aggregate store passes: the in-process store and the Redis store run these
/// same tests (see the two subclasses).
/// </summary>
public abstract class AggregateStoreContract
{
    protected static readonly DateTimeOffset Morning = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1));

    protected abstract Task<IAggregateStore> CreateStoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StoredContact Answered(long seq, string queue, DateTimeOffset offered, double waitSeconds, bool? fcr = true) =>
        new(seq, new ContactRecord($"c{seq}", Channel.Phone, queue, offered, offered.AddSeconds(waitSeconds), null, offered.AddSeconds(waitSeconds + 200), fcr));

    private static StoredContact Abandoned(long seq, string queue, DateTimeOffset offered, double waitSeconds) =>
        new(seq, new ContactRecord($"c{seq}", Channel.Phone, queue, offered, null, offered.AddSeconds(waitSeconds), null, null));

    [Fact]
    public async Task ApplyAsync_Contacts_AreReadBackPerBucket()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(new AggregateBatch(
            [
                Answered(1, "kc", Morning, 12.5),
                Answered(2, "kc", Morning.AddMinutes(20), 75),
                Abandoned(3, "kc", Morning.AddMinutes(21), 4),
                Abandoned(4, "kc", Morning.AddMinutes(22), 40),
                Answered(5, "ad", Morning, 10),
            ], []), Ct);

        var tallies = await store.ReadTalliesAsync(
        [
            BucketKey.For("kc", Granularity.Day, Morning),
            BucketKey.For("kc", Granularity.Quarter, Morning),
            BucketKey.For("kc", Granularity.Quarter, Morning.AddMinutes(20)),
            BucketKey.For("kc", Granularity.Minute, Morning.AddMinutes(22)),
            BucketKey.For("ad", Granularity.Day, Morning),
            BucketKey.For("xx", Granularity.Day, Morning),
        ], Ct);

        var day = tallies[0];
        Assert.Equal(4, day.Offered);
        Assert.Equal(2, day.Answered);
        Assert.Equal(2, day.Abandoned);
        Assert.Equal(1, day.AnsweredWithin(60));
        Assert.Equal(1, day.AbandonedWithin(5));
        Assert.Equal(87.5, day.AnsweredWaitSecondsSum, 6);
        Assert.Equal(400, day.HandleSecondsSum, 6);
        Assert.Equal(2, day.FcrResolved);
        Assert.Equal(1, tallies[1].Offered);
        Assert.Equal(3, tallies[2].Offered);
        Assert.Equal(1, tallies[3].Offered);
        Assert.Equal(1, tallies[4].Offered);
        Assert.True(tallies[5].IsEmpty);
        Assert.Equal(5, await store.ReadWatermarkAsync(Ct));
    }

    [Fact]
    public async Task ApplyAsync_SameBatchTwice_CountsOnce()
    {
        var store = await CreateStoreAsync();
        var batch = new AggregateBatch([Answered(1, "kc", Morning, 5), Answered(2, "kc", Morning, 6)], []);

        await store.ApplyAsync(batch, Ct);
        await store.ApplyAsync(batch, Ct);

        var day = (await store.ReadTalliesAsync([BucketKey.For("kc", Granularity.Day, Morning)], Ct))[0];
        Assert.Equal(2, day.Offered);
    }

    [Fact]
    public async Task ApplyAsync_Snapshots_LatestIsKeptPerQueue()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(AggregateBatch.OfSnapshots([new QueueSnapshot(Morning, "kc", 3, 40, 1, 10, 2)]), Ct);
        await store.ApplyAsync(AggregateBatch.OfSnapshots([new QueueSnapshot(Morning.AddSeconds(5), "kc", 4, 45, 0, 11, 2)]), Ct);

        var snapshots = await store.ReadSnapshotsAsync(["kc", "none"], Ct);

        Assert.Equal(new QueueSnapshot(Morning.AddSeconds(5), "kc", 4, 45, 0, 11, 2), snapshots[0]);
        Assert.Null(snapshots[1]);
    }

    [Fact]
    public async Task ClearAsync_RemovesTalliesSnapshotsAndWatermark()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(new AggregateBatch([Answered(1, "kc", Morning, 5)], [new QueueSnapshot(Morning, "kc", 1, 1, 1, 1, 1)]), Ct);

        await store.ClearAsync(Ct);

        Assert.True((await store.ReadTalliesAsync([BucketKey.For("kc", Granularity.Day, Morning)], Ct))[0].IsEmpty);
        Assert.Null((await store.ReadSnapshotsAsync(["kc"], Ct))[0]);
        Assert.Equal(0, await store.ReadWatermarkAsync(Ct));
    }

    [Fact]
    public async Task ReadTalliesAsync_DuringConcurrentBatches_NeverSeesHalfABatch()
    {
        var store = await CreateStoreAsync();
        // Each batch adds one contact to a day bucket and one to a quarter bucket of the same queue:
        // a reader must always see the two equal.
        var writer = Task.Run(async () =>
        {
            for (var seq = 1; seq <= 200; seq++)
            {
                await store.ApplyAsync(new AggregateBatch([Answered(seq, "kc", Morning, 5)], []), Ct);
            }
        }, Ct);
        var keys = new[] { BucketKey.For("kc", Granularity.Day, Morning), BucketKey.For("kc", Granularity.Minute, Morning) };
        while (!writer.IsCompleted)
        {
            var t = await store.ReadTalliesAsync(keys, Ct);
            Assert.Equal(t[0].Offered, t[1].Offered);
        }

        await writer;
        Assert.Equal(200, (await store.ReadTalliesAsync(keys, Ct))[0].Offered);
    }
    [Fact]
    public async Task ApplyAsync_ExpectedWatermarkMismatch_IsNotFolded()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.ApplyAsync(new AggregateBatch([Answered(1, "kc", Morning, 5)], []) { ExpectedWatermark = 0 }, Ct));

        var stale = await store.ApplyAsync(new AggregateBatch([Answered(7, "kc", Morning, 5)], []) { ExpectedWatermark = 0 }, Ct);
        var next = await store.ApplyAsync(new AggregateBatch([Answered(3, "kc", Morning, 5)], []) { ExpectedWatermark = 1 }, Ct);

        Assert.False(stale, "a fold that expected an older watermark must be refused");
        Assert.True(next);
        Assert.Equal(3, await store.ReadWatermarkAsync(Ct));
        Assert.Equal(2, (await store.ReadTalliesAsync([BucketKey.For("kc", Granularity.Day, Morning)], Ct))[0].Offered);
    }

    [Fact]
    public async Task ApplyAsync_ThroughSkippedFacts_MovesTheWatermarkOnlyOnCondition()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.ApplyAsync(new AggregateBatch([Answered(1, "kc", Morning, 5)], []) { ExpectedWatermark = 0 }, Ct));

        // Facts 2–9 lie before what the hot store keeps: accounted for, not folded.
        var stale = await store.ApplyAsync(new AggregateBatch([], []) { ExpectedWatermark = 0, Through = 9 }, Ct);
        var skipped = await store.ApplyAsync(new AggregateBatch([], []) { ExpectedWatermark = 1, Through = 9 }, Ct);
        var mixed = await store.ApplyAsync(new AggregateBatch([Answered(11, "kc", Morning, 5)], []) { ExpectedWatermark = 9, Through = 14 }, Ct);

        Assert.Equal((false, true, true), (stale, skipped, mixed));
        Assert.Equal(14, await store.ReadWatermarkAsync(Ct));
        Assert.Equal(2, (await store.ReadTalliesAsync([BucketKey.For("kc", Granularity.Day, Morning)], Ct))[0].Offered);
    }

    [Fact]
    public async Task ApplyAsync_AlreadyFoldedBatch_ReturnsFalse()
    {
        var store = await CreateStoreAsync();
        var batch = new AggregateBatch([Answered(1, "kc", Morning, 5)], []);

        Assert.True(await store.ApplyAsync(batch, Ct));
        Assert.False(await store.ApplyAsync(batch, Ct));
    }

    [Fact]
    public async Task ReadMergedAsync_Groups_AreSumsOfTheirBuckets()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(new AggregateBatch(
            [
                Answered(1, "kc", Morning, 12.5),
                Answered(2, "kc", Morning.AddMinutes(1), 75),
                Abandoned(3, "kc", Morning.AddMinutes(2), 4),
                Answered(4, "ad", Morning.AddMinutes(2), 30.25),
                Answered(5, "ad", Morning.AddDays(-1), 10),
            ], []), Ct);
        var minutes = Enumerable.Range(0, 3).Select(i => BucketKey.For("kc", Granularity.Minute, Morning.AddMinutes(i))).ToList();

        var merged = await store.ReadMergedAsync(
        [
            minutes,
            [BucketKey.For("kc", Granularity.Day, Morning), BucketKey.For("ad", Granularity.Day, Morning)],
            [BucketKey.For("ad", Granularity.Day, Morning), BucketKey.For("ad", Granularity.Day, Morning.AddDays(-1))],
            [],
            [BucketKey.For("none", Granularity.Day, Morning)],
        ], Ct);

        Assert.Equal(5, merged.Count);
        Assert.Equal(3, merged[0].Offered);
        Assert.Equal(2, merged[0].Answered);
        Assert.Equal(87.5, merged[0].AnsweredWaitSecondsSum, 6);
        Assert.Equal(1, merged[0].AnsweredWithin(13));
        Assert.Equal(1, merged[0].AbandonedWithin(4));
        Assert.Equal(4, merged[1].Offered);
        Assert.Equal(117.75, merged[1].AnsweredWaitSecondsSum, 6);
        Assert.Equal(75, merged[1].AnsweredWaitPercentile(90));
        Assert.Equal(2, merged[2].Offered);
        Assert.True(merged[3].IsEmpty);
        Assert.True(merged[4].IsEmpty);
    }

    [Fact]
    public async Task ReadAsync_RollingWindowsForATeam_MergeItsQueues()
    {
        var store = await CreateStoreAsync();
        var now = Morning.AddMinutes(59).AddSeconds(30);
        await store.ApplyAsync(new AggregateBatch(
            [
                Answered(1, "kc", now, 5),                   // in every window
                Answered(2, "ad", now.AddMinutes(-14), 5),   // last 15 min (14 minutes ago is inside)
                Answered(3, "kc", now.AddMinutes(-15), 5),   // last 60 min only
                Answered(4, "ad", now.AddMinutes(-70), 5),   // today only
                Answered(5, "kc", now.AddDays(-1), 5),       // month to date only (2 March)
                Answered(6, "kc", now.AddDays(-2), 5),       // previous month: nowhere
                Answered(7, "lr", now, 5),                   // another team
            ], []), Ct);

        var windows = await store.ReadAsync(["kc", "ad"], [RollingWindow.Last15Minutes, RollingWindow.Last60Minutes, RollingWindow.Today, RollingWindow.MonthToDate], now, Ct);

        Assert.Equal(2, windows[RollingWindow.Last15Minutes].Offered);
        Assert.Equal(3, windows[RollingWindow.Last60Minutes].Offered);
        Assert.Equal(4, windows[RollingWindow.Today].Offered);
        Assert.Equal(5, windows[RollingWindow.MonthToDate].Offered);
    }

    [Fact]
    public async Task ReadQueriesAsync_Thresholds_ProjectWaitsAsTheDomainDoes()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(new AggregateBatch(
            [
                Answered(1, "kc", Morning, 12.5),
                Answered(2, "kc", Morning.AddMinutes(1), 60),
                Answered(3, "kc", Morning.AddMinutes(2), 75.25),
                Abandoned(4, "kc", Morning.AddMinutes(3), 4),
                Abandoned(5, "kc", Morning.AddMinutes(4), 40),
            ], []), Ct);
        var day = BucketKey.For("kc", Granularity.Day, Morning);
        var minutes = Enumerable.Range(0, 5).Select(i => BucketKey.For("kc", Granularity.Minute, Morning.AddMinutes(i))).ToList();
        var full = (await store.ReadTalliesAsync([day], Ct))[0];

        var read = await store.ReadQueriesAsync(
        [
            new TallyQuery([day]) { Thresholds = [5, 60] },
            new TallyQuery(minutes) { Thresholds = [5, 60] },
            new TallyQuery([day]) { Thresholds = [] },
        ], Ct);

        foreach (var projected in read.Tallies.Take(2))
        {
            Assert.NotNull(projected);
            Assert.Equal(full.ProjectOnto([5, 60]).AnsweredWaits, projected.AnsweredWaits);
            Assert.Equal(full.ProjectOnto([5, 60]).AbandonedWaits, projected.AbandonedWaits);
            Assert.Equal(full.AnsweredWaitSecondsSum, projected.AnsweredWaitSecondsSum);
            Assert.Equal((5L, 3L, 2L, 3L), (projected.Offered, projected.Answered, projected.Abandoned, projected.FcrResolved));
        }

        Assert.Equal([int.MaxValue], read.Tallies[2]!.AnsweredWaits.Keys);
    }

    [Fact]
    public async Task ReadQueriesAsync_OfferedCountUnchanged_ComesBackNull()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(new AggregateBatch([Answered(1, "kc", Morning, 5), Answered(2, "kc", Morning.AddMinutes(20), 5)], []), Ct);
        var day = BucketKey.For("kc", Granularity.Day, Morning);
        var quarter = BucketKey.For("kc", Granularity.Quarter, Morning);
        TallyQuery[] queries =
        [
            new([day]) { UnlessOffered = 2 },
            new([quarter]) { UnlessOffered = 1, Thresholds = [60] },
            new([quarter]) { UnlessOffered = 0 },
        ];

        var unchanged = await store.ReadQueriesAsync(queries, Ct);
        await store.ApplyAsync(new AggregateBatch([Answered(3, "kc", Morning.AddMinutes(40), 5)], []), Ct);
        var moved = await store.ReadQueriesAsync(queries, Ct);

        Assert.Null(unchanged.Tallies[0]);
        Assert.Null(unchanged.Tallies[1]);
        Assert.Equal(1, unchanged.Tallies[2]?.Offered);
        Assert.Equal(3, moved.Tallies[0]?.Offered);
        Assert.Null(moved.Tallies[1]);
    }

    [Fact]
    public async Task ReadQueriesAsync_Chart_GivesEveryQuartersCountAndTheTalliesOfThoseThatMoved()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(new AggregateBatch(
            [
                Answered(1, "kc", Morning, 12),
                Abandoned(2, "kc", Morning.AddMinutes(3), 4),
                Answered(3, "kc", Morning.AddMinutes(20), 75),
                Answered(4, "kc", Morning.AddMinutes(50), 30),
                Answered(5, "ad", Morning.AddMinutes(1), 10),
            ], []), Ct);
        var today = DateOnly.FromDateTime(Morning.DateTime);
        var first = BucketKey.For("kc", Granularity.Quarter, Morning).Start;
        var second = first.AddMinutes(15);
        var fourth = first.AddMinutes(45);

        var all = (await store.ReadQueriesAsync([], [new QuarterQuery("kc", today) { Thresholds = [5, 60] }], Ct)).Charts[0];

        Assert.NotNull(all);
        Assert.Equal(new Dictionary<DateTimeOffset, long> { [first] = 2, [second] = 1, [fourth] = 1 }, all.Offered);
        Assert.Equal(4, all.DayOffered);
        Assert.Equal([first, second, fourth], all.Tallies.Keys.Order());
        var full = (await store.ReadTalliesAsync([BucketKey.For("kc", Granularity.Quarter, Morning)], Ct))[0].ProjectOnto([5, 60]);
        Assert.Equal(full.AnsweredWaits, all.Tallies[first].AnsweredWaits);
        Assert.Equal(full.AbandonedWaits, all.Tallies[first].AbandonedWaits);
        Assert.Equal([int.MaxValue], all.Tallies[second].AnsweredWaits.Keys);

        var held = new QuarterQuery("kc", today) { Thresholds = [5, 60], Known = all.Offered, UnlessOffered = all.DayOffered };
        var unchanged = await store.ReadQueriesAsync([], [held], Ct);
        await store.ApplyAsync(new AggregateBatch([Answered(6, "kc", Morning.AddMinutes(21), 61), Answered(7, "ad", Morning, 1)], []), Ct);
        var moved = (await store.ReadQueriesAsync([], [held], Ct)).Charts[0];

        Assert.Null(unchanged.Charts[0]);
        Assert.NotNull(moved);
        Assert.Equal(2, moved.Offered[second]);
        Assert.Equal(5, moved.DayOffered);
        Assert.Equal([second], moved.Tallies.Keys);
        Assert.Equal(2, moved.Tallies[second].Answered);
        Assert.Equal(2, moved.Tallies[second].AnsweredWaits[int.MaxValue]);
    }

    [Fact]
    public async Task ReadQueriesAsync_ChartCountsOnly_GivesTheLocalDaysCountsWithoutTallies()
    {
        var store = await CreateStoreAsync();
        // 23:50 and 00:10 local time (CET): the first belongs to the day before.
        var midnight = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(1));
        await store.ApplyAsync(new AggregateBatch([Answered(1, "kc", midnight.AddMinutes(-10), 5), Answered(2, "kc", midnight.AddMinutes(10), 5)], []), Ct);

        var read = await store.ReadQueriesAsync(
            [new TallyQuery([BucketKey.For("kc", Granularity.Day, midnight)])],
            [new QuarterQuery("kc", new DateOnly(2026, 3, 2)) { CountsOnly = true }, new QuarterQuery("kc", new DateOnly(2026, 3, 1)) { CountsOnly = true }, new QuarterQuery("xx", new DateOnly(2026, 3, 2))],
            Ct);

        Assert.Equal(1, read.Tallies[0]?.Offered);
        Assert.Equal(new Dictionary<DateTimeOffset, long> { [midnight] = 1 }, read.Charts[0]!.Offered);
        Assert.Empty(read.Charts[0]!.Tallies);
        Assert.Equal(new Dictionary<DateTimeOffset, long> { [midnight.AddMinutes(-15)] = 1 }, read.Charts[1]!.Offered);
        Assert.Empty(read.Charts[2]!.Offered);
    }

    [Fact]
    public async Task ClearAsync_ChangesTheGeneration()
    {
        var store = await CreateStoreAsync();
        var before = (await store.ReadQueriesAsync([new TallyQuery([BucketKey.For("kc", Granularity.Day, Morning)])], Ct)).Generation;

        await store.ClearAsync(Ct);
        var first = (await store.ReadQueriesAsync([new TallyQuery([BucketKey.For("kc", Granularity.Day, Morning)])], Ct)).Generation;
        await store.ClearAsync(Ct);
        var second = (await store.ReadQueriesAsync([new TallyQuery([BucketKey.For("kc", Granularity.Day, Morning)])], Ct)).Generation;

        Assert.NotEqual(before, first);
        Assert.NotEqual(first, second);
    }
}
