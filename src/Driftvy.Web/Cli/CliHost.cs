using System.CommandLine;
using Driftvy.Web.Infrastructure;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Driftvy.Web.Cli;

/// <summary>
/// The command line: the same services as the web host (same configuration, same database), without the
/// web server, the schedulers or the screens. One file per verb in this folder; each adds itself to <see cref="Verbs"/>.
/// </summary>
internal static class CliHost
{
    private static readonly Func<CliContext, Command>[] Verbs =
    [
        ImportCommand.Create,
        ApiKeyCommand.Create,
        BenchImportCommand.Create,
        BenchQueueLogCommand.Create,
        ReportCommand.Create,
        DigestCommand.Create,
        RebuildCommand.Create,
        VerifyCommand.Create,
        UserCommand.Create,
    ];

    public static bool IsCommand(string[] args) =>
        args.Length > 0 && BuildRoot(new CliContext(null)).Subcommands.Any(c => c.Name == args[0]);

    /// <summary>
    /// Runs a verb. <paramref name="settings"/>, <paramref name="time"/> and <paramref name="console"/> let tests point
    /// it at their own data folder, pin its clock and read what it prints; a real run takes the defaults.
    /// </summary>
    public static Task<int> RunAsync(string[] args, IDictionary<string, string?>? settings = null, TimeProvider? time = null, IAnsiConsole? console = null) =>
        BuildRoot(new CliContext(settings, time, console)).Parse(args).InvokeAsync();

    private static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("Driftvy: live operations dashboard. Without a verb, runs the web host.");
        foreach (var verb in Verbs)
        {
            root.Subcommands.Add(verb(context));
        }

        return root;
    }
}

/// <summary>Builds the service container for a verb, with the database migrated as the host would at start-up.</summary>
internal sealed class CliContext(IDictionary<string, string?>? settings, TimeProvider? time = null, IAnsiConsole? console = null)
{
    /// <summary>Where a verb prints (the terminal, unless a test reads it).</summary>
    public IAnsiConsole Console { get; } = console ?? AnsiConsole.Console;

    public async Task<WebApplication> StartAsync(IDictionary<string, string?>? overrides, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder();
        var config = new Dictionary<string, string?>
        {
            // Nothing polls from a command: the running host does that.
            ["Sources:Telephony:Enabled"] = "false",
            ["Ingestion:DropFolder:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // EF logs the probe for the migrations table of a new database as an error; it is expected.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            config[k] = v;
        }

        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>())
        {
            config[k] = v;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.AddDriftvy();
        if (time is not null)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(time));
        }

        var app = builder.Build();
        if (app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.MigrateOnStartup)
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<DriftvyDbContext>>().CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            await app.Services.GetRequiredService<History.HistoryVerifier>().DeriveIfNoneStoredAsync(cancellationToken).ConfigureAwait(false);
        }

        return app;
    }
}
