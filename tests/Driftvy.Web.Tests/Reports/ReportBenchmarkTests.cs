using System.Diagnostics;
using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Reports;
using Driftvy.Web.Reports.Export;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;
using Driftvy.Web.History;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Reports;

/// <summary>
/// Report generation over three years of history: about 10 million contacts held as day buckets (the
/// daily rollup the aggregate stores keep at ingest) for every queue, and daily volumes and monthly
/// staffing for 20 teams. Left out of the default run (category Benchmark, see tests/default.runsettings), since timings on shared machines vary; it
/// prints what it measured and holds the 2-second target.
/// </summary>
public sealed class ReportBenchmarkTests(ITestOutputHelper output, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    /// <summary>
    /// <paramref name="engine"/>: where the 20 teams' daily volumes and monthly staffing are read from — memory (the
    /// builder alone), or the fact tables in SQLite or PostgreSQL through the store the running host uses.
    /// </summary>
    [Theory]
    [Trait("Category", "Benchmark")]
    [InlineData("memory")]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task BuildAndExport_ThreeYearsOfDayBucketsAndTwentyTeams_UnderTwoSeconds(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        var kpis = ReportTestData.Kpis();
        var queues = kpis.Organisation.Queues.Select(q => q.Id).ToList();
        var from = new DateOnly(2024, 1, 1);
        var to = new DateOnly(2027, 1, 1);
        var days = to.DayNumber - from.DayNumber;
        var perQueueDay = 10_000_000 / (days * queues.Count);
        var store = new DayBucketStore();
        long contacts = 0;
        foreach (var q in queues)
        {
            for (var d = from; d < to; d = d.AddDays(1))
            {
                // Answered waits spread over 0–119 s, abandons over 0–239 s: realistic sparse histograms.
                var answered = perQueueDay * 9 / 10;
                var abandoned = perQueueDay - answered;
                var waits = Enumerable.Range(0, 120).Select(s => new KeyValuePair<int, long>(s, answered / 120)).ToList();
                var gaveUp = Enumerable.Range(0, 40).Select(s => new KeyValuePair<int, long>(s * 6, abandoned / 40)).ToList();
                var a = waits.Sum(w => w.Value);
                var b = gaveUp.Sum(w => w.Value);
                store.Days[BucketKey.ForDay(q, d)] = ContactTally.FromCounters(a + b, a, b, a * 45.0, a, a * 280.0, a, a * 8 / 10, waits, gaveUp);
                contacts += a + b;
            }
        }

        var teams = kpis.Organisation.Teams.Select(t => t.Id).Concat(Enumerable.Range(1, 15).Select(i => $"team{i:00}")).ToList();
        var volumes = new List<DailyVolume>();
        var staffing = new List<MonthlyStaffing>();
        string[] kinds = ["customer_invoice", "supplier_invoice", "reminder", "preschool_invoice", "payslip"];
        foreach (var team in teams)
        {
            for (var d = from; d < to; d = d.AddDays(1))
            {
                volumes.AddRange(kinds.Select(k => new DailyVolume(d, team, k, 250)));
            }

            for (var m = 0; m < 36; m++)
            {
                staffing.Add(new MonthlyStaffing(2024 + (m / 12), (m % 12) + 1, team, 10));
            }
        }

        await using var app = engine == "memory" ? null : await DatabaseAsync(engine, volumes, staffing, store, ct);
        IBackOfficeRecords backOffice = app is null
            ? new FixedBackOffice(new BackOfficeData { Volumes = volumes, Staffing = staffing })
            : app.Services.GetRequiredService<IBackOfficeRecords>();
        // The contact tallies: the durable day tallies in the database, or the same tallies held in memory.
        var history = app is null ? new DayHistory(store) : app.Services.GetRequiredService<IContactHistory>();
        output.WriteLine($"contact tallies and back office read from: {engine}");
        var inputs = new HistoryReportInputs(history, backOffice, kpis);
        var builder = ReportTestData.Builder(kpis);
        var at = new DateTimeOffset(2027, 1, 15, 6, 0, 0, TimeSpan.Zero);

        // Warm-up (JIT), then measure.
        var (vbFrom, vbTo) = ReportBuilder.TertialSpan(2026, TertialPoint.VB);
        ReportExporter.ToBytes(builder.BuildTertial(2026, TertialPoint.VB, await inputs.LoadAsync(vbFrom, vbTo, ct), at, false), ReportFormat.Xlsx);

        var sw = Stopwatch.StartNew();
        var threeYears = await inputs.LoadAsync(from, to, ct);
        var loadThreeYears = sw.Elapsed;

        // Five runs, each read, checksummed, built and exported from scratch; the median is what a controller waits.
        // Where the load's time goes: the contact tallies and the back-office records, each also read on its own.
        var runs = new List<(double Tallies, double Records, double Load, double Checksums, double Build, double Export, double Total)>();
        ReportDocument? vb = null;
        byte[] xlsx = [];
        for (var run = 0; run < 5; run++)
        {
            sw.Restart();
            var tallyRows = await history.ReadDaysAsync(vbFrom, vbTo, ct);
            var tallyRead = sw.Elapsed;
            sw.Restart();
            var records = await backOffice.LoadAsync(vbFrom, vbTo, ct);
            var recordRead = sw.Elapsed;
            Assert.Equal(2 * 365 * queues.Count, tallyRows.Count);
            Assert.Equal(2 * 365 * teams.Count * kinds.Length, records.Volumes.Count);

            sw.Restart();
            var vbData = await inputs.LoadAsync(vbFrom, vbTo, ct);
            var vbLoad = sw.Elapsed;
            var checksums = ReportChecksums.Compute(vbData);
            var vbChecksums = sw.Elapsed - vbLoad;
            vb = builder.BuildTertial(2026, TertialPoint.VB, vbData, at, false);
            var vbBuild = sw.Elapsed - vbLoad;
            xlsx = ReportExporter.ToBytes(vb, ReportFormat.Xlsx);
            var vbTime = sw.Elapsed;
            Assert.Equal(checksums, vb.InputChecksums);
            runs.Add((tallyRead.TotalMilliseconds, recordRead.TotalMilliseconds, vbLoad.TotalMilliseconds, vbChecksums.TotalMilliseconds,
                (vbBuild - vbChecksums).TotalMilliseconds, (vbTime - vbLoad - vbBuild).TotalMilliseconds, vbTime.TotalMilliseconds));
        }

        static double Median(IEnumerable<double> values) => values.Order().ElementAt(2);
        output.WriteLine($"VB 2026, median of {runs.Count}: {Median(runs.Select(r => r.Total)):N0} ms = load {Median(runs.Select(r => r.Load)):N0} ms "
            + $"(on their own: {2 * 365 * queues.Count:N0} day tallies {Median(runs.Select(r => r.Tallies)):N0} ms, {2 * 365 * teams.Count * kinds.Length:N0} volumes and staffing {Median(runs.Select(r => r.Records)):N0} ms) "
            + $"+ checksums {Median(runs.Select(r => r.Checksums)):N0} ms + build {Median(runs.Select(r => r.Build)):N0} ms + export {Median(runs.Select(r => r.Export)):N0} ms; "
            + $"every run: {string.Join(", ", runs.Select(r => r.Total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        var vbMedian = TimeSpan.FromMilliseconds(Median(runs.Select(r => r.Total)));

        sw.Restart();
        var (mFrom, mTo) = ReportBuilder.MonthlySpan(2026, 12);
        var monthly = builder.BuildMonthly(2026, 12, await inputs.LoadAsync(mFrom, mTo, ct), at, false);
        ReportExporter.ToBytes(monthly, ReportFormat.Xlsx);
        var monthlyTime = sw.Elapsed;

        output.WriteLine($"{contacts:N0} contacts in {store.Days.Count:N0} day buckets ({queues.Count} queues × {days} days), {volumes.Count:N0} daily volumes for {teams.Count} teams");
        output.WriteLine($"read all three years of buckets and records: {loadThreeYears.TotalMilliseconds:N0} ms ({threeYears.Contacts.Count:N0} day tallies)");
        output.WriteLine($"VB 2026 built and exported to xlsx: {vbMedian.TotalMilliseconds:N0} ms median ({xlsx.Length:N0} bytes)");
        output.WriteLine($"monthly report December 2026 built and exported: {monthlyTime.TotalMilliseconds:N0} ms");
        Assert.True(contacts > 9_000_000, $"only {contacts} contacts");
        Assert.True(vbMedian < TimeSpan.FromSeconds(2), $"VB took {vbMedian}");
        Assert.True(monthlyTime < TimeSpan.FromSeconds(2), $"monthly took {monthlyTime}");
    }

    /// <summary>A host on SQLite or PostgreSQL with the day tallies, volumes and staffing stored in its tables.</summary>
    private async Task<DriftvyAppFactory> DatabaseAsync(string engine, List<DailyVolume> volumes, List<MonthlyStaffing> staffing, DayBucketStore store, CancellationToken ct)
    {
        Dictionary<string, string?>? settings = null;
        if (engine == "postgresql")
        {
            Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
            settings = new() { ["ConnectionStrings:Postgres"] = await postgres.CreateDatabaseAsync() };
        }

        var app = new DriftvyAppFactory(settings);
        _ = app.Server;
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DriftvyDbContext>>().CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Volumes.AddRange(volumes.Select(v => new VolumeFact { Date = v.Date, Team = v.Team, Kind = v.Kind, Count = v.Count, Source = "bench", UpdatedAtMs = 0 }));
        db.Staffing.AddRange(staffing.Select(f => new StaffingFact { Year = f.Year, Month = f.Month, Team = f.Team, Fte = f.Fte, Source = "bench", UpdatedAtMs = 0 }));
        db.ContactTallies.AddRange(store.Days.Select(d => new ContactTallyRow
        {
            Span = TallySpan.Day, Queue = d.Key.Queue, StartMs = d.Key.Start.ToUnixTimeMilliseconds(), Tally = ContactTallyCodec.Encode(d.Value),
        }));
        await db.SaveChangesAsync(ct);
        return app;
    }

    /// <summary>Day buckets only: what a report reads from an aggregate store.</summary>
    private sealed class DayBucketStore : IAggregateStore
    {
        public Dictionary<BucketKey, ContactTally> Days { get; } = [];

        public string Kind => "bench";

        public Task<bool> ApplyAsync(AggregateBatch batch, CancellationToken cancellationToken) => Task.FromResult(false);

        public async Task<IReadOnlyList<ContactTally>> ReadMergedAsync(IReadOnlyList<IReadOnlyList<BucketKey>> groups, CancellationToken cancellationToken)
        {
            var merged = new ContactTally[groups.Count];
            for (var g = 0; g < groups.Count; g++)
            {
                merged[g] = new ContactTally();
                foreach (var t in await ReadTalliesAsync(groups[g], cancellationToken))
                {
                    merged[g].Merge(t);
                }
            }

            return merged;
        }

        public Task<IReadOnlyList<ContactTally>> ReadTalliesAsync(IReadOnlyList<BucketKey> keys, CancellationToken cancellationToken)
        {
            var result = new ContactTally[keys.Count];
            for (var i = 0; i < keys.Count; i++)
            {
                var copy = new ContactTally();
                if (Days.TryGetValue(keys[i], out var t))
                {
                    copy.Merge(t);
                }

                result[i] = copy;
            }

            return Task.FromResult<IReadOnlyList<ContactTally>>(result);
        }

        public Task<IReadOnlyList<QueueSnapshot?>> ReadSnapshotsAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<QueueSnapshot?>>([.. queues.Select(_ => (QueueSnapshot?)null)]);

        public Task<long> ReadWatermarkAsync(CancellationToken cancellationToken) => Task.FromResult(0L);

        public Task ClearAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The day buckets as durable history held in memory (the builder without a database).</summary>
    private sealed class DayHistory(DayBucketStore store) : IContactHistory
    {
        public Task<IReadOnlyList<ChannelDayTally>> ReadChannelDaysAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ChannelDayTally>>([]);

        public Task<IReadOnlyList<DayTally>> ReadDaysAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DayTally>>([.. store.Days
                .Select(d => new DayTally(d.Key.Queue, Driftvy.Domain.Calendar.StockholmTime.LocalDate(d.Key.Start), d.Value))
                .Where(d => d.Date >= from && d.Date < toExclusive)]);

        public Task<IReadOnlyDictionary<DateTimeOffset, ContactTally>> ReadQuartersAsync(string queue, DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<DateTimeOffset, ContactTally>>(new Dictionary<DateTimeOffset, ContactTally>());

        public Task<DateOnly?> FirstDayAsync(CancellationToken cancellationToken) =>
            Task.FromResult<DateOnly?>(store.Days.Count == 0 ? null : store.Days.Keys.Min(k => Driftvy.Domain.Calendar.StockholmTime.LocalDate(k.Start)));
    }

    private sealed class FixedBackOffice(BackOfficeData data) : IBackOfficeRecords
    {
        public Task<BackOfficeData> LoadAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken) =>
            Task.FromResult(data with
            {
                Volumes = [.. data.Volumes.Where(v => v.Date >= from && v.Date < toExclusive)],
                Staffing = [.. data.Staffing.Where(s => new DateOnly(s.Year, s.Month, 1) >= new DateOnly(from.Year, from.Month, 1) && new DateOnly(s.Year, s.Month, 1) < toExclusive)],
            });
    }
}
