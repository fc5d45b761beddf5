using Driftvy.Web.Cli;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Driftvy.Web.Tests.Cli;

/// <summary><c>driftvy user</c>, <c>driftvy report</c> and <c>driftvy rebuild</c> against a data folder of their own.</summary>
public sealed class AdminCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("driftvy-cli-").FullName;

    private Dictionary<string, string?> Settings => new() { ["Storage:DataDirectory"] = _data };

    [Fact]
    public async Task UserAdd_PasswordFromEnvironment_CreatesAnAdminWhoCanSignIn()
    {
        var variable = "DRIFTVY_TEST_PW_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, DriftvyAppFactory.TestPassword);
        try
        {
            var created = await CliHost.RunAsync(["user", "add", "forsta-admin", "--role", "admin", "--password-env", variable], Settings);
            var refused = await CliHost.RunAsync(["user", "add", "svag", "--role", "admin", "--password-env", "DRIFTVY_NO_SUCH_VARIABLE"], Settings);

            Assert.Equal((0, 2), (created, refused));
            await using var app = new DriftvyAppFactory(dataDirectory: _data);
            var (outcome, user) = await app.Services.GetRequiredService<UserStore>().VerifyAsync("forsta-admin", DriftvyAppFactory.TestPassword, TestContext.Current.CancellationToken);
            Assert.Equal(SignInOutcome.Success, outcome);
            Assert.Equal(Roles.Admin, user!.Role);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task ReportTertial_Xlsx_WritesAWorkbookThatOpens()
    {
        var file = Path.Combine(_data, "t1.xlsx");

        var exit = await CliHost.RunAsync(["report", "tertial", "2025", "T1", "--format", "xlsx", "-o", file], Settings);
        var badPeriod = await CliHost.RunAsync(["report", "tertial", "2025", "T4"], Settings);

        Assert.Equal((0, 2), (exit, badPeriod));
        using var workbook = SpreadsheetDocument.Open(file, isEditable: false);
        Assert.NotEmpty(workbook.WorkbookPart!.Workbook.Sheets!.ChildElements);
    }

    [Fact]
    public async Task ReportTertial_ChartsOption_WritesTheWorkbookAndCreatesTheChartsFolder()
    {
        var file = Path.Combine(_data, "t2.xlsx");
        var charts = Path.Combine(_data, "diagram");

        var exit = await CliHost.RunAsync(["report", "tertial", "2025", "T2", "--format", "xlsx", "-o", file, "--charts", charts], Settings);

        // An empty data folder has no measured month, so no chart: the folder exists and holds only pairs of PNG and SVG.
        Assert.Equal(0, exit);
        Assert.True(File.Exists(file));
        Assert.True(Directory.Exists(charts));
        var written = Directory.GetFiles(charts);
        Assert.Equal(written.Count(f => f.EndsWith(".png", StringComparison.Ordinal)), written.Count(f => f.EndsWith(".svg", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ReportFix_FinishedTertial_FixedOnceWithGapsAcceptedAndExportedAsFixed()
    {
        var json = Path.Combine(_data, "t1.json");

        // An empty data folder: every contact row lacks data, so fixing needs the gaps accepted; then it is fixed once.
        var withoutAccepting = await CliHost.RunAsync(["report", "fix", "2020", "T1", "--by", "kontroller"], Settings);
        var fixedNow = await CliHost.RunAsync(["report", "fix", "2020", "T1", "--by", "kontroller", "--accept-gaps"], Settings);
        var again = await CliHost.RunAsync(["report", "fix", "2020", "T1", "--by", "kontroller", "--accept-gaps"], Settings);
        var export = await CliHost.RunAsync(["report", "tertial", "2020", "T1", "--format", "json", "-o", json], Settings);

        Assert.Equal((1, 0, 1, 0), (withoutAccepting, fixedNow, again, export));
        var report = Driftvy.Web.Reports.Export.JsonReportWriter.Deserialize(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken));
        Assert.Equal("kontroller (command line)", report.Fixed!.By);
        Assert.NotEmpty(report.Fixed.AcceptedGaps);
    }

    [Fact]
    public async Task Rebuild_InProcessStore_SaysThereIsNothingToDo()
    {
        using var printed = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(printed),
        });
        console.Profile.Width = 400; // one message, one line: not wrapped at a terminal's 80 columns

        var exit = await CliHost.RunAsync(["rebuild"], Settings, console: console);

        Assert.Equal(0, exit);
        Assert.Contains("aggregates are in-process", printed.ToString(), StringComparison.Ordinal);
        Assert.Contains("nothing to do here", printed.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}
