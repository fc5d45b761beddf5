using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;

namespace Driftvy.Web.Tests.Browser;

/// <summary>The wall screen in a real browser against the app on Kestrel (127.0.0.1, free port).</summary>
public sealed class WallScreenBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static readonly Dictionary<string, string?> LivePolling = new()
    {
        ["Sources:Telephony:Enabled"] = "true",
        ["Sources:Telephony:PollInterval"] = "00:00:01",
    };

    [Fact]
    public async Task WallScreen_Loaded_ShowsTilesWithNumbersAndUpdatesLive()
    {
        await using var app = new DriftvyAppFactory(LivePolling, kestrelPort: Requirements.FreePort());
        app.StartServer();
        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);

        await page.GotoAsync(app.KestrelAddress.ToString());
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 1", null, new() { Timeout = 15000 });
        var first = await Updates(page);
        // A live update: a later push from the poll job redraws the board.
        await page.WaitForFunctionAsync($"() => Number(document.body.dataset.updates || 0) > {first}", null, new() { Timeout = 10000 });

        Assert.Equal(4, await page.Locator(".tile").CountAsync());
        var answered = await page.Locator(".tile [data-field=answered]").AllInnerTextsAsync();
        Assert.All(answered, a => Assert.Matches(@"^\d[\d\s\u00a0\u202f]*$", a));
        var sl = await page.Locator(".tile [data-field=value]").AllInnerTextsAsync();
        Assert.Contains(sl, s => s.EndsWith('%'));
        var ages = await page.Locator(".tile .tile-age").AllInnerTextsAsync();
        Assert.All(ages, a => Assert.Contains("sedan", a, StringComparison.Ordinal));
        Assert.Equal(4, await page.Locator(".tile-chart canvas").CountAsync());
        Assert.True(await page.Locator("#connection-banner").IsHiddenAsync());

        await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ArtifactPath("wallscreen-1920x1080.png") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task WallScreen_ServerRestarts_ShowsReconnectingThenLiveDataWithoutReload()
    {
        // One clock across the restart, as the machine's would be: the second host does not start the day again.
        await using var clock = new RunningClock(TestClock.OrdinaryMorning);
        var (page, errors) = await chromium.NewPageAsync(1920, 1080, clock);
        var port = Requirements.FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "driftvy-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = new DriftvyAppFactory(LivePolling, time: clock, kestrelPort: port, dataDirectory: dataDirectory);
            first.StartServer();
            await page.GotoAsync(first.KestrelAddress.ToString());
            await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 2", null, new() { Timeout = 15000 });
            await page.EvaluateAsync("() => { window.__sameDocument = true; }");

            await first.DisposeAsync();
            await page.Locator("#connection-banner").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 30000 });
            Assert.Contains("återansluter", await page.Locator("#connection-banner").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
            await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ArtifactPath("wallscreen-reconnecting.png") });

            var before = await Updates(page);
            await using var second = new DriftvyAppFactory(LivePolling, time: clock, kestrelPort: port, dataDirectory: dataDirectory);
            second.StartServer();
            await page.Locator("#connection-banner").WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = 45000 });
            await page.WaitForFunctionAsync($"() => Number(document.body.dataset.updates || 0) > {before + 1}", null, new() { Timeout = 15000 });

            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page recovered without a reload");
            Assert.Equal(4, await page.Locator(".tile:not(.stale)").CountAsync());
            // The browser logs failed WebSocket/HTTP attempts while the server is down; nothing else may fail.
            Assert.DoesNotContain(errors, e => !e.Contains("Failed to load resource", StringComparison.Ordinal) &&
                                              !e.Contains("WebSocket", StringComparison.Ordinal) &&
                                              !e.Contains("ERR_CONNECTION_REFUSED", StringComparison.Ordinal));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task WallScreen_JoinFailsWhileTheStoreTimesOut_IsRetriedAndShowsTheBoardWithoutReload()
    {
        var store = new FlakyStore { Failing = true };
        await using var app = new DriftvyAppFactory(kestrelPort: Requirements.FreePort(), services: services =>
            services.Replace(ServiceDescriptor.Singleton<IAggregateStore>(sp => store.Around(ActivatorUtilities.CreateInstance<InProcessAggregateStore>(sp)))));
        app.StartServer();
        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);
        var negotiations = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/negotiate", StringComparison.Ordinal))
            {
                lock (negotiations)
                {
                    negotiations.Add(request.Url);
                }
            }
        };

        await page.GotoAsync(app.KestrelAddress.ToString());
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        // The first joins fail as a store timing out would (no code: transient), and are tried again.
        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(store.Failures >= 2), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), $"JoinBoard was tried {store.Failures} time(s)");
        Assert.Contains("återansluter", await page.Locator("#connection-banner").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);

        store.Failing = false;
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 1", null, new() { Timeout = 30000 });

        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the board came without a reload");
        await page.Locator("#connection-banner").WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = 5000 });
        Assert.Equal(4, await page.Locator(".tile").CountAsync());
        Assert.Empty(negotiations);
        Assert.Empty(errors);
    }

    /// <summary>An aggregate store whose live-state reads (every snapshot build makes one) time out while told to.</summary>
    private sealed class FlakyStore
    {
        private int _failures;

        public volatile bool Failing;

        public int Failures => Volatile.Read(ref _failures);

        public IAggregateStore Around(IAggregateStore inner) => new Store(this, inner);

        private sealed class Store(FlakyStore flaky, IAggregateStore inner) : IAggregateStore
        {
            public string Kind => inner.Kind;

            public Task<bool> ApplyAsync(AggregateBatch batch, CancellationToken cancellationToken) => inner.ApplyAsync(batch, cancellationToken);

            public Task<IReadOnlyList<Driftvy.Domain.Contacts.ContactTally>> ReadTalliesAsync(IReadOnlyList<BucketKey> keys, CancellationToken cancellationToken) =>
                inner.ReadTalliesAsync(keys, cancellationToken);

            public Task<IReadOnlyList<Driftvy.Domain.Contacts.ContactTally>> ReadMergedAsync(IReadOnlyList<IReadOnlyList<BucketKey>> groups, CancellationToken cancellationToken) =>
                inner.ReadMergedAsync(groups, cancellationToken);

            public Task<TallyRead> ReadQueriesAsync(IReadOnlyList<TallyQuery> queries, IReadOnlyList<QuarterQuery> charts, CancellationToken cancellationToken) =>
                inner.ReadQueriesAsync(queries, charts, cancellationToken);

            public Task<IReadOnlyList<QueueSnapshot?>> ReadSnapshotsAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken)
            {
                if (flaky.Failing)
                {
                    Interlocked.Increment(ref flaky._failures);
                    throw new TimeoutException("The store did not answer in time.");
                }

                return inner.ReadSnapshotsAsync(queues, cancellationToken);
            }

            public Task<bool> IsOutdatedAsync(CancellationToken cancellationToken) => inner.IsOutdatedAsync(cancellationToken);

            public Task<long> ReadWatermarkAsync(CancellationToken cancellationToken) => inner.ReadWatermarkAsync(cancellationToken);

            public Task ClearAsync(CancellationToken cancellationToken) => inner.ClearAsync(cancellationToken);
        }
    }

    private static async Task<int> Updates(IPage page) =>
        await page.EvaluateAsync<int>("() => Number(document.body.dataset.updates || 0)");
}
