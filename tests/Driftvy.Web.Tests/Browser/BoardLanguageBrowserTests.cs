using System.Text.Json.Nodes;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Browser;

/// <summary>A board carries its titles in Swedish and English; <c>?lang=en</c> shows the English ones.</summary>
public sealed class BoardLanguageBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task WallScreen_LangEn_ShowsBoardPageAndTileTitlesInEnglish()
    {
        await using var app = new DriftvyAppFactory(kestrelPort: Requirements.FreePort());
        app.StartServer();
        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);

        await page.GotoAsync(new Uri(app.KestrelAddress, "/boards/aldre-direkt?lang=en").ToString());
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 1", null, new() { Timeout = 15000 });

        Assert.Equal("Today", await page.Locator("#page-title").InnerTextAsync());
        var titles = await page.Locator(".page:not([hidden]) .tile-title").AllInnerTextsAsync();
        Assert.Equal(["Today", "Last 15 minutes", "Abandoned in the last hour", "Availability today", "Resolved at first contact"], titles);
        Assert.Empty(errors);

        // The same screen in Swedish keeps the Swedish titles.
        await page.GotoAsync(new Uri(app.KestrelAddress, "/boards/aldre-direkt").ToString());
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 1", null, new() { Timeout = 15000 });
        Assert.Equal("Idag", await page.Locator("#page-title").InnerTextAsync());
        Assert.Contains("Avbrutna senaste timmen", await page.Locator(".page:not([hidden]) .tile-title").AllInnerTextsAsync());
    }

    [Fact]
    public void ShippedBoards_EveryTitle_HasAnEnglishTitle()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "dashboards");
        var missing = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            var board = JsonNode.Parse(File.ReadAllText(file), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
            var name = Path.GetFileName(file);
            Check(board, name);
            foreach (var (pageNode, p) in (board["pages"]?.AsArray() ?? []).Select((n, i) => (n!.AsObject(), i)))
            {
                Check(pageNode, $"{name} pages[{p}]");
                foreach (var (tile, t) in pageNode["tiles"]!.AsArray().Select((n, i) => (n!.AsObject(), i)))
                {
                    Check(tile, $"{name} pages[{p}].tiles[{t}]");
                }
            }

            foreach (var (tile, t) in (board["tiles"]?.AsArray() ?? []).Select((n, i) => (n!.AsObject(), i)))
            {
                Check(tile, $"{name} tiles[{t}]");
            }
        }

        Assert.True(missing.Count == 0, "titles without title_en: " + string.Join("; ", missing));

        void Check(JsonObject node, string where)
        {
            if (node["title"] is not null && node["title_en"] is null)
            {
                missing.Add(where);
            }
        }
    }
}
