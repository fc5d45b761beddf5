using Microsoft.Playwright;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright (Playwright's own browser download cannot run here).
/// One browser per test class; each test opens its own context and page.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public string? Executable { get; } = Requirements.Find("chromium") ?? Requirements.Find("chromium-browser");

    public IBrowser? Browser { get; private set; }

    /// <remarks>
    /// Chromium keeps this process's environment, libfaketime included when the suite runs under <c>faketime</c>:
    /// Playwright's driver (a child of this process) and the browser must share one clock, or the page clock the
    /// tests install stops moving when the two disagree. The pages' clocks are pinned by the tests anyway.
    /// </remarks>
    public async ValueTask InitializeAsync()
    {
        if (Executable is null)
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-quic", "--no-first-run", "--hide-scrollbars",
            ],
        });
    }

    /// <summary>
    /// A page that records console errors and page errors, to be asserted empty by the test. Its clock (Date,
    /// timers) is Playwright's, installed at <paramref name="clock"/>'s instant and running from there, so ages
    /// and dates on the page agree with the host under test rather than with the machine.
    /// </summary>
    public async Task<(IPage Page, List<string> Errors)> NewPageAsync(int width, int height, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Requirements.Require(Browser is not null, "chromium", "apt-get install chromium");
        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "sv-SE",
            TimezoneId = "Europe/Stockholm",
        });
        var page = await context.NewPageAsync();
        await page.Clock.InstallAsync(new ClockInstallOptions { TimeDate = clock.GetUtcNow().UtcDateTime });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        return (page, errors);
    }

    /// <summary>Where screenshots go: the test output folder, kept as an artifact of the run.</summary>
    public static string ArtifactPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
