using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Sources.Ami;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Tests.Browser;

/// <summary>A wall-screen tile driven by Asterisk's manager interface: waiting calls and longest wait move with the transcript.</summary>
public sealed class AmiTileBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QueueTile_AmiTranscriptPollsAndEvents_WaitingAndLongestWaitFollow()
    {
        var folder = Directory.CreateTempSubdirectory("driftvy-boards-").FullName;
        try
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "dashboards", "kontaktcenter.json"), Path.Combine(folder, "kontaktcenter.json"));
            await File.WriteAllTextAsync(Path.Combine(folder, "asterisk.json"), """
                {
                  "id": "asterisk", "title": "FreePBX kö 600", "columns": 1,
                  "tiles": [ { "queue": "kc-stockholm", "title": "Kö 600", "kpi": "kc_asterisk_sl" } ]
                }
                """, Ct);
            await using var server = new AmiTranscriptServer(AmiLiveQueuesTests.Transcript);
            var settings = AmiLiveQueuesTests.Settings(server.Port);
            settings["Dashboards:Directory"] = folder;
            await using var app = new DriftvyAppFactory(settings, kestrelPort: Requirements.FreePort());
            app.StartServer();
            var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);

            await page.GotoAsync(new Uri(app.KestrelAddress, "/boards/asterisk").ToString());
            const string Waiting = "(document.querySelector('.tile [data-field=waiting]') || {}).textContent || ''";
            const string Longest = "(document.querySelector('.tile [data-field=longest]') || {}).textContent || ''";

            // The first poll: two callers, the first waiting 45 s.
            await page.WaitForFunctionAsync($"() => {Waiting}.trim() === '2'", null, new() { Timeout = 30000 });
            var longestAtPoll = await page.EvaluateAsync<string>($"() => {Longest}");
            Assert.NotEqual("–", longestAtPoll.Trim());

            // A caller joins between polls.
            await server.PushAsync("join");
            await page.WaitForFunctionAsync($"() => {Waiting}.trim() === '3'", null, new() { Timeout = 30000 });

            // The longest waiter is answered: two wait again, and the longest wait is now the second caller's: 12 s at the
            // poll plus the time since, shorter than the first caller's would be. The tile shows what the manager said.
            await server.PushAsync("connect");
            QueueSnapshotFact? latest = null;
            Assert.True(
                // Patient: with the whole suite running, browsers included, the event's fold can queue behind other work.
                await Requirements.WaitUntilAsync(async () => (latest = await LatestAsync(app)) is { Waiting: 2, AgentsBusy: 2 }, TimeSpan.FromSeconds(90), Ct),
                "no snapshot after the answer");
            var polled = (await app.WithDbAsync(db => db.QueueSnapshots.Where(x => x.Queue == "kc-stockholm").OrderBy(x => x.AtMs).ToListAsync(Ct), Ct))[0];
            var sincePoll = (latest!.AtMs - polled.AtMs) / 1000.0;
            Assert.Equal((2, 45), (polled.Waiting, polled.LongestWaitSeconds));
            Assert.InRange(latest.LongestWaitSeconds, 12 + sincePoll - 1, 12 + sincePoll + 1);
            var shown = $"{latest.LongestWaitSeconds / 60}:{latest.LongestWaitSeconds % 60:00}";
            await page.WaitForFunctionAsync($"shown => {Waiting}.trim() === '2' && {Longest}.trim() === shown", shown, new() { Timeout = 30000 });
            Assert.True(Seconds(shown) < 45 + sincePoll, $"longest wait {longestAtPoll} at the poll, {shown} after the answer");

            await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ArtifactPath("ami-tile.png") });
            Assert.Empty(errors);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<QueueSnapshotFact?> LatestAsync(DriftvyAppFactory app) =>
        app.WithDbAsync(db => db.QueueSnapshots.Where(s => s.Queue == "kc-stockholm").OrderByDescending(s => s.AtMs).FirstOrDefaultAsync(Ct), Ct);

    /// <summary>"1:05", "45 s" or "45": the seconds a tile shows.</summary>
    private static int Seconds(string shown)
    {
        var digits = System.Text.RegularExpressions.Regex.Matches(shown, @"\d+").Select(m => int.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return digits.Count switch
        {
            0 => throw new Xunit.Sdk.XunitException($"no number in '{shown}'"),
            1 => digits[0],
            _ => digits[^2] * 60 + digits[^1],
        };
    }
}
