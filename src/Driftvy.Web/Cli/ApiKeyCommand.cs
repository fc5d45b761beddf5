using System.CommandLine;
using Driftvy.Web.Sources.Ingestion.Api;
using Spectre.Console;

namespace Driftvy.Web.Cli;

/// <summary><c>driftvy apikey create &lt;source&gt; | revoke &lt;id&gt; | list</c>: keys for the push API.</summary>
internal static class ApiKeyCommand
{
    public static Command Create(CliContext context)
    {
        var source = new Argument<string>("source") { Description = "source id the key pushes for, e.g. agresso" };
        var create = new Command("create", "Create a key; it is printed once and only its hash is kept.") { source };
        create.SetAction(async (parse, ct) =>
        {
            await using var app = await context.StartAsync(null, ct).ConfigureAwait(false);
            try
            {
                var key = await app.Services.GetRequiredService<ApiKeyService>().CreateAsync(parse.GetValue(source)!, ct).ConfigureAwait(false);
                context.Console.WriteLine($"API key {key.Id} for source '{key.Source}' (shown once, store it now):");
                Console.Out.WriteLine(key.Key);
                return 0;
            }
            catch (ArgumentException ex)
            {
                context.Console.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
                return 2;
            }
        });

        var id = new Argument<long>("id") { Description = "the key's id (see apikey list)" };
        var revoke = new Command("revoke", "Revoke a key: requests with it are refused from now on.") { id };
        revoke.SetAction(async (parse, ct) =>
        {
            await using var app = await context.StartAsync(null, ct).ConfigureAwait(false);
            var done = await app.Services.GetRequiredService<ApiKeyService>().RevokeAsync(parse.GetValue(id), ct).ConfigureAwait(false);
            context.Console.WriteLine(done ? $"API key {parse.GetValue(id)} revoked." : $"No API key {parse.GetValue(id)}.");
            return done ? 0 : 1;
        });

        var list = new Command("list", "List keys (never the keys themselves).");
        list.SetAction(async (parse, ct) =>
        {
            await using var app = await context.StartAsync(null, ct).ConfigureAwait(false);
            var table = new Table().AddColumns("id", "source", "created", "last used", "revoked");
            foreach (var k in await app.Services.GetRequiredService<ApiKeyService>().ListAsync(ct).ConfigureAwait(false))
            {
                table.AddRow(k.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), k.Source, $"{k.CreatedAt:u}", $"{k.LastUsedAt:u}", $"{k.RevokedAt:u}");
            }

            context.Console.Write(table);
            return 0;
        });

        return new Command("apikey", "Manage push-API keys.") { create, revoke, list };
    }
}
