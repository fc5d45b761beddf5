using Driftvy.Web.Cli;
using Driftvy.Web.Infrastructure;

// `driftvy import …`, `driftvy apikey …` and the other verbs run the command line; anything else runs the host.
if (CliHost.IsCommand(args))
{
    return await CliHost.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddDriftvy();

var app = builder.Build();
app.MapDriftvy();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host the app.</summary>
public partial class Program;
