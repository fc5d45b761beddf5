using Driftvy.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddDriftvy();

var app = builder.Build();
app.MapDriftvy();
await app.RunAsync();

/// <summary>Entry point; public so integration tests can host the app.</summary>
public partial class Program;
