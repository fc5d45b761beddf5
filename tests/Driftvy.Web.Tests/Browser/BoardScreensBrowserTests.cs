using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Domain.Calendar;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Steering;
using Driftvy.Web.Tests.Steering;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Driftvy.Web.Tests.Browser;

/// <summary>
/// Every shipped board in a real browser at 1080p and 4K: it fits without scrolling or clipping, text is
/// legible and meets WCAG AA contrast (computed from the rendered colours), and every tile shows value,
/// target and age. Also: stale sources grey out, pages rotate, English is available.
/// </summary>
public sealed class BoardScreensBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> LivePolling() => new()
    {
        ["Sources:Telephony:Enabled"] = "true",
        ["Sources:Telephony:PollInterval"] = "00:00:01",
        // Generous: a busy test machine must not make tiles flap to stale while they are measured.
        ["Sources:Telephony:StaleAfterIntervals"] = "60",
    };

    // Built from the host's clock: on the pinned Thursday the week already has closed cases.
    private static Action<IServiceCollection> WithBackOfficeData() => services =>
        services.Replace(ServiceDescriptor.Singleton<IBackOfficeFacts>(sp =>
        {
            var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
            return FakeBackOfficeFacts.Plausible(StockholmTime.LocalDate(now), now.AddHours(-2));
        }));

    [Theory]
    [InlineData(1920, 1080)]
    [InlineData(3840, 2160)]
    public async Task ShippedBoards_FirstPage_FitsLegiblyWithValueTargetAgeAndContrast(int width, int height)
    {
        await using var app = new DriftvyAppFactory(LivePolling(), kestrelPort: Requirements.FreePort(), services: WithBackOfficeData());
        app.StartServer();
        using var http = new HttpClient { BaseAddress = app.KestrelAddress };
        var boards = (await http.GetFromJsonAsync<JsonElement>("/api/boards", Ct)).GetProperty("boards").EnumerateArray()
            .Select(b => b.GetProperty("id").GetString()!).ToList();
        Assert.True(boards.Count >= 6, "the shipped boards are served");

        var (page, errors) = await chromium.NewPageAsync(width, height, app.Time);
        foreach (var board in boards)
        {
            await page.GotoAsync(new Uri(app.KestrelAddress, "/boards/" + board).ToString());
            await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 2", null, new() { Timeout = 20000 });
            await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ArtifactPath($"board-{board}-{width}x{height}.png") });

            var overflow = await page.EvaluateAsync<string[]>(BrowserChecks.Overflow);
            Assert.True(overflow.Length == 0, $"{board} at {width}×{height}: {string.Join("; ", overflow)}");

            var minPx = 18.0 * height / 1080;
            var small = await page.EvaluateAsync<string[]>(BrowserChecks.SmallText, minPx);
            Assert.True(small.Length == 0, $"{board} at {width}×{height}: text below {minPx} px: {string.Join("; ", small)}");

            var contrast = await page.EvaluateAsync<string[]>(BrowserChecks.Contrast);
            Assert.True(contrast.Length == 0, $"{board} at {width}×{height}: contrast below WCAG AA: {string.Join("; ", contrast)}");

            var incomplete = await page.EvaluateAsync<string[]>(BrowserChecks.ValueTargetAge);
            Assert.True(incomplete.Length == 0, $"{board} at {width}×{height}: {string.Join("; ", incomplete)}");
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task WallScreen_SourceGoesSilent_TilesGreyOutSayingSinceWhen()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sources:Telephony:PollInterval"] = "00:00:01",
            ["Sources:Telephony:StaleAfterIntervals"] = "3",
        };
        await using var app = new DriftvyAppFactory(settings, kestrelPort: Requirements.FreePort());
        app.StartServer();
        // One poll, then the source goes quiet (polling is off in this test).
        await app.Services.GetRequiredService<TelephonyPollService>().PollOnceAsync(Ct);
        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);

        await page.GotoAsync(app.KestrelAddress.ToString());
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 1", null, new() { Timeout = 15000 });
        await page.WaitForFunctionAsync("() => document.body.dataset.staleTiles === '4'", null, new() { Timeout = 15000 });

        Assert.Equal(4, await page.Locator(".tile.stale").CountAsync());
        var notes = await page.Locator(".tile .stale-note").AllInnerTextsAsync();
        Assert.All(notes, n => Assert.Matches(@"Data saknas sedan \d\d:\d\d", n));
        var contrast = await page.EvaluateAsync<string[]>(BrowserChecks.Contrast);
        Assert.True(contrast.Length == 0, "stale tiles stay readable: " + string.Join("; ", contrast));
        await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ArtifactPath("wallscreen-stale-1920x1080.png") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task WallScreen_BoardWithTwoPages_RotatesToTheNextPageInEnglish()
    {
        var folder = Directory.CreateTempSubdirectory("driftvy-boards-").FullName;
        try
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "dashboards", "kontaktcenter.json"), Path.Combine(folder, "kontaktcenter.json"));
            await File.WriteAllTextAsync(Path.Combine(folder, "rotation.json"), """
                {
                  "id": "rotation", "title": "Rotation",
                  "pages": [
                    { "title": "First", "rotation_seconds": 5, "tiles": [ { "queue": "kc-stockholm", "kpi": "kc_answered_within_1_min", "window": "now", "chart": false } ] },
                    { "title": "Second", "rotation_seconds": 5, "tiles": [ { "queue": "aldre-direkt", "kpi": "kc_answered_within_1_min", "window": "week", "chart": false } ] }
                  ]
                }
                """, Ct);
            var settings = LivePolling();
            settings["Dashboards:Directory"] = folder;
            await using var app = new DriftvyAppFactory(settings, kestrelPort: Requirements.FreePort());
            app.StartServer();
            var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);

            await page.GotoAsync(new Uri(app.KestrelAddress, "/boards/rotation?lang=en").ToString());
            await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 1", null, new() { Timeout = 15000 });
            Assert.Equal("0", await page.EvaluateAsync<string>("() => document.body.dataset.page"));
            Assert.Equal("Last 15 min", await page.Locator(".page:not([hidden]) .tile-window").InnerTextAsync());

            await page.WaitForFunctionAsync("() => document.body.dataset.page === '1'", null, new() { Timeout = 12000 });

            Assert.Equal("This week", await page.Locator(".page:not([hidden]) .tile-window").InnerTextAsync());
            Assert.Equal("Second", await page.Locator("#page-title").InnerTextAsync());
            Assert.StartsWith("Target", await page.Locator(".page:not([hidden]) [data-field=target]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Empty(errors);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
    [Fact]
    public async Task SteeringPage_Loaded_ShowsEveryQueueAndTeamReadably()
    {
        await using var app = new DriftvyAppFactory(LivePolling(), kestrelPort: Requirements.FreePort(), services: WithBackOfficeData());
        app.StartServer();
        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);

        await page.GotoAsync(new Uri(app.KestrelAddress, "/steering").ToString());
        await page.WaitForFunctionAsync("() => document.body.dataset.loaded === 'true'", null, new() { Timeout = 20000 });

        Assert.Equal(4 + 5, await page.Locator(".row").CountAsync());
        Assert.Contains(await page.Locator(".row .cell-value").AllInnerTextsAsync(), v => System.Text.RegularExpressions.Regex.IsMatch(v, @"\d\s%$"));
        Assert.Contains("Öppna ärenden efter ålder", await page.Locator("#teams").InnerTextAsync(), StringComparison.Ordinal);
        // Staffing for today and the week: Kontaktcenter Stockholm's need against agents in, and its working days.
        var staffing = page.Locator(".staffing-row[data-queue=kc-stockholm]");
        Assert.Matches(@"^Behov \d+ · Inne \d+ · (−|\+|±)\d+$", await staffing.Locator(".staffing-line").InnerTextAsync());
        Assert.Equal(5, await staffing.Locator("tr[data-basis]").CountAsync());
        // The report buttons follow the chosen date and download a workbook.
        var tertial = await page.Locator("#report-tertial").GetAttributeAsync("href");
        Assert.Matches(@"^/api/reports/tertial/\d{4}/(T1|T2|VB)\?format=xlsx$", tertial);
        var download = await page.APIRequest.GetAsync(new Uri(app.KestrelAddress, tertial!).ToString());
        Assert.Equal(200, download.Status);
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString((await download.BodyAsync())[..2]));
        var contrast = await page.EvaluateAsync<string[]>(BrowserChecks.Contrast);
        Assert.True(contrast.Length == 0, "contrast: " + string.Join("; ", contrast));
        await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ArtifactPath("steering-1920x1080.png"), FullPage = true });
        Assert.Empty(errors);
    }
}
