using System.Diagnostics;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Driftvy.Web.Tests.Browser;

public sealed class AlertBannerBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>, IDisposable
{
    private readonly string _rules = Path.Combine(Path.GetTempPath(), $"driftvy-alerts-{Guid.NewGuid():N}.json");

    // More than 10 waiting in Kontaktcenter Stockholm is critical; it clears at 5.
    private const string QueueRule = """
        { "rules": [ { "id": "kc-queue", "name": "Kön byggs upp – Kontaktcenter Stockholm", "measure": "waiting",
                       "queue": "kc-stockholm", "condition": "above", "threshold": 10, "clear_threshold": 5,
                       "severity": "critical", "channels": ["log"] } ],
          "channels": [ { "id": "log", "kind": "log" } ] }
        """;

    [Fact]
    public async Task Banner_QueueBuildsUp_AppearsWithinOneSecondOfTheData()
    {
        File.WriteAllText(_rules, QueueRule);
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Alerts:RulesFile"] = _rules }, kestrelPort: Requirements.FreePort());
        app.StartServer();
        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);
        await page.GotoAsync(app.KestrelAddress.ToString());
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 1", null, new() { Timeout = 15000 });
        Assert.True(await page.Locator("#alert-banner").IsHiddenAsync());

        var store = app.Services.GetRequiredService<IAggregateStore>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        var clock = Stopwatch.StartNew();
        // The triggering data: a queue snapshot with 14 callers waiting, folded like a poll folds it.
        await store.ApplyAsync(AggregateBatch.OfSnapshots([new QueueSnapshot(time.GetUtcNow(), "kc-stockholm", 14, 95, 0, 30, 2)]), TestContext.Current.CancellationToken);
        foreach (var observer in app.Services.GetServices<IAggregateObserver>())
        {
            await observer.AggregatesChangedAsync(TestContext.Current.CancellationToken);
        }

        // Pushed, not polled: the banner appears on the change itself. The deadline is generous for a busy 2-core
        // machine; the figure is printed (under a second when the machine is quiet).
        await page.Locator(".alert-critical").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 10000 });
        clock.Stop();
        TestContext.Current.SendDiagnosticMessage($"alert banner shown {clock.Elapsed.TotalMilliseconds:0} ms after the change was folded");

        Assert.Contains("Kontaktcenter Stockholm", await page.Locator(".alert-critical").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ArtifactPath("wallscreen-alert.png") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Banner_TvOpenedWithADisplayTokenWhileAnAlertIsOpen_ShowsItAtOnce()
    {
        File.WriteAllText(_rules, QueueRule);
        // Production: nothing is readable without a session or a display token.
        await using var app = new DriftvyAppFactory(
            new Dictionary<string, string?> { ["Alerts:RulesFile"] = _rules, ["Security:AnonymousRead"] = "false" }, kestrelPort: Requirements.FreePort());
        app.StartServer();
        var ct = TestContext.Current.CancellationToken;
        var display = await app.Services.GetRequiredService<Driftvy.Web.Dashboard.Display.DisplayTokenService>().CreateAsync("kontaktcenter", "TV i korridoren", ct);

        // The alert opens before the TV is switched on.
        var store = app.Services.GetRequiredService<IAggregateStore>();
        await store.ApplyAsync(AggregateBatch.OfSnapshots([new QueueSnapshot(app.Time.GetUtcNow(), "kc-stockholm", 14, 95, 0, 30, 2)]), ct);
        var monitor = app.Services.GetRequiredService<Driftvy.Web.Alerts.AlertMonitor>();
        var deadline = Stopwatch.StartNew();
        while ((await monitor.OpenIncidentsAsync(ct)).Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            foreach (var observer in app.Services.GetServices<IAggregateObserver>())
            {
                await observer.AggregatesChangedAsync(ct);
            }

            await Task.Delay(200, ct);
        }

        Assert.NotEmpty(await monitor.OpenIncidentsAsync(ct));
        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);
        await page.GotoAsync(new Uri(app.KestrelAddress, display.DisplayPath).ToString());

        // Shown on joining, from the alerts the page reads with its token: no further change is needed.
        await page.Locator(".alert-critical").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 15000 });
        Assert.Contains("Kontaktcenter Stockholm", await page.Locator(".alert-critical").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Banner_SignedInTeamLeader_AcknowledgesFromTheScreenAndTheRowTurnsToAnOutlineWithTheirName()
    {
        File.WriteAllText(_rules, QueueRule);
        await using var app = new DriftvyAppFactory(
            new Dictionary<string, string?> { ["Alerts:RulesFile"] = _rules, ["Security:AnonymousRead"] = "false" }, kestrelPort: Requirements.FreePort());
        app.StartServer();
        var ct = TestContext.Current.CancellationToken;
        await app.Services.GetRequiredService<Driftvy.Web.Security.UserStore>().CreateAsync("tittare", DriftvyAppFactory.TestPassword, Driftvy.Web.Security.Roles.TeamLeader, ct);
        var display = await app.Services.GetRequiredService<Driftvy.Web.Dashboard.Display.DisplayTokenService>().CreateAsync("kontaktcenter", "TV i korridoren", ct);
        await app.Services.GetRequiredService<IAggregateStore>().ApplyAsync(
            AggregateBatch.OfSnapshots([new QueueSnapshot(app.Time.GetUtcNow(), "kc-stockholm", 14, 95, 0, 30, 2)]), ct);
        var monitor = app.Services.GetRequiredService<Driftvy.Web.Alerts.AlertMonitor>();
        Assert.True(await Requirements.WaitUntilAsync(async () => { await monitor.EvaluateAsync(ct); return (await monitor.OpenIncidentsAsync(ct)).Count > 0; }, TimeSpan.FromSeconds(30), ct));

        // The TV in the corridor: the alert, solid, and no button.
        var (tv, tvErrors) = await chromium.NewPageAsync(1920, 1080, app.Time);
        await tv.GotoAsync(new Uri(app.KestrelAddress, display.DisplayPath).ToString());
        var tvRow = tv.Locator(".alert-critical");
        await tvRow.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 15000 });
        Assert.Equal(0, await tv.Locator(".alert-ack-button").CountAsync());
        var solid = await tvRow.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

        // The team leader's screen offers to acknowledge, and does.
        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);
        await SignedInBrowserTests.SignInAsync(page, new Uri(app.KestrelAddress, "/login?ReturnUrl=%2Fboards%2Fkontaktcenter"));
        var button = page.Locator(".alert-critical .alert-ack-button");
        await button.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 15000 });
        await button.ClickAsync();
        var acked = page.Locator(".alert-critical.alert-acked");
        await acked.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 10000 });

        Assert.Contains("kvitterat av tittare", await acked.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".alert-ack-button").CountAsync());
        Assert.Equal("tittare", Assert.Single(await monitor.OpenIncidentsAsync(ct)).AcknowledgedBy);
        // The TV hears of it too, and the two looks differ from across the room: an outline on the dark background.
        var tvAcked = tv.Locator(".alert-critical.alert-acked");
        await tvAcked.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 10000 });
        var outline = await tvAcked.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor + ' ' + getComputedStyle(e).borderTopWidth + ' ' + getComputedStyle(e).fontWeight");
        Assert.Equal("rgb(255, 140, 90)", solid);
        Assert.StartsWith("rgb(11, 15, 20) ", outline, StringComparison.Ordinal);
        Assert.DoesNotContain(" 0px ", outline, StringComparison.Ordinal);
        Assert.EndsWith(" 400", outline, StringComparison.Ordinal);
        await tv.ScreenshotAsync(new() { Path = ChromiumBrowser.ArtifactPath("wallscreen-alert-acknowledged.png") });
        Assert.Empty(errors);
        Assert.Empty(tvErrors);
    }

    public void Dispose() => File.Delete(_rules);
}
