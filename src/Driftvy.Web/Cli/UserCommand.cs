using System.CommandLine;
using Driftvy.Web.Security;
using Spectre.Console;

namespace Driftvy.Web.Cli;

/// <summary>
/// <c>driftvy user add &lt;name&gt; --role admin</c> (the password is read from standard input, or from the
/// environment variable named by <c>--password-env</c>, never from the command line) and <c>driftvy user list</c>.
/// </summary>
internal static class UserCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("username");
        var role = new Option<string>("--role") { Description = "viewer, teamleader or admin", DefaultValueFactory = _ => Roles.Viewer };
        var passwordEnv = new Option<string?>("--password-env") { Description = "environment variable holding the password (for scripts)" };
        var add = new Command("add", "Create a local account (the first admin, for example).") { name, role, passwordEnv };
        add.SetAction(async (parse, ct) =>
        {
            var password = parse.GetValue(passwordEnv) is { } variable
                ? Environment.GetEnvironmentVariable(variable)
                : await Console.In.ReadLineAsync(ct).ConfigureAwait(false);
            if (string.IsNullOrEmpty(password))
            {
                context.Console.MarkupLine("[red]no password given (standard input or --password-env)[/]");
                return 2;
            }

            await using var app = await context.StartAsync(null, ct).ConfigureAwait(false);
            try
            {
                var user = await app.Services.GetRequiredService<UserStore>().CreateAsync(parse.GetValue(name)!, password, parse.GetValue(role)!, ct).ConfigureAwait(false);
                await app.Services.GetRequiredService<AuditLog>().RecordAsync("command line", "create", "user", user.Username, null, new { user.Username, user.Role }, ct).ConfigureAwait(false);
                context.Console.WriteLine($"Created {user.Role} '{user.Username}'.");
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                context.Console.MarkupLine($"[red]{Markup.Escape(ex.Message.Split(" (Parameter", 2)[0])}[/]");
                return 2;
            }
        });

        var list = new Command("list", "List accounts.");
        list.SetAction(async (parse, ct) =>
        {
            await using var app = await context.StartAsync(null, ct).ConfigureAwait(false);
            var table = new Table().AddColumns("id", "user", "role", "disabled");
            foreach (var u in await app.Services.GetRequiredService<UserStore>().ListAsync(ct).ConfigureAwait(false))
            {
                table.AddRow(u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), u.Username, u.Role, u.Disabled ? "yes" : "");
            }

            context.Console.Write(table);
            return 0;
        });

        return new Command("user", "Manage local accounts.") { add, list };
    }
}
