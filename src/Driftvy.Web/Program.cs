using Driftvy.Web.Cli;
using Driftvy.Web.Infrastructure;
using Driftvy.Web.Observability;
using Microsoft.Extensions.DependencyInjection.Extensions;

// `driftvy import …`, `driftvy apikey …` and the other verbs run the command line; anything else runs the host.
if (CliHost.IsCommand(args))
{
    return await CliHost.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddDriftvy();
if (BuildTimeDocument.IsGenerating)
{
    // The build starts this entry point only to read the OpenAPI document for the front end's wire types: no jobs,
    // simulators, migrations or other background work (its server is a stand-in that opens no port).
    builder.Services.RemoveAll<IHostedService>();
}

var app = builder.Build();
app.MapDriftvy();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host the app.</summary>
public partial class Program;
