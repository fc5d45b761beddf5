using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Security;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Browser;

/// <summary>The steering view as a team leader sees it on the meeting's 1920 px screen.</summary>
public sealed class SteeringPageBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SteeringPage_TeamLeaderAt1920_CallbacksFitOnOneLineEachWithATruthfulHintAndLastYearFigures()
    {
        await using var app = new DriftvyAppFactory(kestrelPort: Requirements.FreePort());
        app.StartServer();
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(Ct);
        var now = app.Time.GetUtcNow();
        var today = StockholmTime.LocalDate(now);
        var queues = new[] { "kc-stockholm", "aldre-direkt", "lon-pension", "leverantorsreskontra" };
        var contacts = new List<ContactRecord>();
        // Twelve callers who gave up after a long wait this morning, in every queue, and were not answered since.
        for (var i = 0; i < 12; i++)
        {
            var offered = StockholmTime.StartOfDayUtc(today).AddHours(8).AddMinutes(i);
            contacts.Add(new ContactRecord($"cb-{i}", Channel.Phone, queues[i % 4], offered, null, offered.AddSeconds(95 + i), null, null)
            {
                CallerNumber = $"070-{i:000} {i:00} {60 + i}",
            });
        }

        // Kontaktcenter Stockholm's calls on the same weekday a year (52 weeks) before yesterday: 7 of them.
        var lastYearDay = today.AddDays(-1).AddDays(-364);
        for (var i = 0; i < 7; i++)
        {
            var offered = StockholmTime.StartOfDayUtc(lastYearDay).AddHours(9).AddMinutes(i);
            contacts.Add(new ContactRecord($"ly-{i}", Channel.Phone, "kc-stockholm", offered, offered.AddSeconds(20), null, offered.AddSeconds(200), true));
        }

        await app.Services.GetRequiredService<IContactFactStore>().AddNewAsync("test", contacts, Ct);
        await app.Services.GetRequiredService<AggregateCatchUp>().CatchUpAsync(Ct);
        await app.Services.GetRequiredService<UserStore>().CreateAsync("tittare", DriftvyAppFactory.TestPassword, Roles.TeamLeader, Ct);

        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);
        await SignedInBrowserTests.SignInAsync(page, new Uri(app.KestrelAddress, "/login?ReturnUrl=%2Fsteering"));
        await page.WaitForFunctionAsync("() => document.body.dataset.loaded === 'true' && document.querySelectorAll('#callbacks .number').length === 12", null, new() { Timeout = 20000 });
        await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ArtifactPath("steering-1920.png") });

        // Each masked number on one line; the call-back panel and everything in it inside the screen.
        var problems = await page.EvaluateAsync<string[]>("""
            () => {
              const problems = [];
              for (const td of document.querySelectorAll('#callbacks .number')) {
                const range = document.createRange();
                range.selectNodeContents(td);
                const rows = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (rows.size !== 1) problems.push(td.textContent + ' wraps over ' + rows.size + ' lines');
              }
              const panel = document.getElementById('callbacks').closest('div');
              for (const el of [panel, ...panel.querySelectorAll('*')]) {
                const r = el.getBoundingClientRect();
                if (r.right > innerWidth + 1) problems.push('cut at the right edge: ' + el.tagName + ' ' + (el.textContent || '').slice(0, 30));
              }
              if (document.documentElement.scrollWidth > innerWidth + 1) problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth);
              return problems;
            }
            """);
        Assert.True(problems.Length == 0, string.Join("; ", problems));

        // The list holds callers who waited past the short-abandon limit: the hint must not say the opposite.
        var hint = await page.Locator(".side .hint").First.InnerTextAsync();
        Assert.DoesNotContain("kort väntan", hint, StringComparison.Ordinal);
        Assert.Contains("korta avbrott räknas inte", hint, StringComparison.Ordinal);

        // "i fjol" in every column: the 7 calls on the same weekday last year fall in last year's yesterday, week so far,
        // month so far and year to date alike.
        var offeredCells = await page.Locator("#queues .row", new() { HasText = "Kontaktcenter Stockholm" })
            .Locator("tr", new() { HasText = "Inkommande samtal" }).Locator("td").AllInnerTextsAsync();
        Assert.Equal(4, offeredCells.Count);
        Assert.All(offeredCells, cell => Assert.Contains("i fjol 7", cell, StringComparison.Ordinal));
        Assert.Empty(errors);
    }
}
