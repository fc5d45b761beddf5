using System.CommandLine;
using System.Globalization;
using Driftvy.Domain.Calendar;
using Driftvy.Web.Infrastructure;
using Driftvy.Web.Kpis;
using Driftvy.Web.Reports.Digest;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Driftvy.Web.Cli;

/// <summary>
/// <c>driftvy digest [--date DAY] [--out FILE.eml] [--send]</c>: builds one morning steering digest (by default the one
/// due today: the previous working day) and saves it as an e-mail file to preview, or sends it to the configured
/// recipients. Neither records the day: the scheduled digest is unaffected.
/// </summary>
internal static class DigestCommand
{
    public static Command Create(CliContext context)
    {
        var date = new Option<DateOnly?>("--date") { Description = "The day the digest covers (default: the previous Stockholm working day)." };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the digest as an e-mail file (.eml) here." };
        var send = new Option<bool>("--send") { Description = "Send it to Reports:Digest:Recipients over Reports:Digest:SmtpHost." };
        var digest = new Command("digest", "Preview or send the morning steering digest (yesterday against target, with pictures).") { date, output, send };
        digest.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(output) is null && !parse.GetValue(send))
            {
                context.Console.WriteLine("Give --out FILE.eml to preview, --send to send, or both.");
                return 2;
            }

            await using var app = await context.StartAsync(null, ct).ConfigureAwait(false);
            var today = StockholmTime.LocalDate(app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            var day = parse.GetValue(date) ?? DigestService.CoveredDay(today, app.Services.GetRequiredService<KpiSetup>().Calendar);
            var document = await app.Services.GetRequiredService<DigestService>().BuildAsync(day, ct).ConfigureAwait(false);
            var options = app.Services.GetRequiredService<IOptions<DigestOptions>>().Value;
            if (parse.GetValue(output) is { } file)
            {
                var recipients = options.Recipients.Where(PlainMailbox.IsValid).Select(MimeKit.MailboxAddress.Parse).DefaultIfEmpty(MimeKit.MailboxAddress.Parse("mottagare@example.org"));
                using var message = DigestService.ToMessage(document, MimeKit.MailboxAddress.Parse(PlainMailbox.IsValid(options.From) ? options.From : "driftvy@localhost"), recipients);
                await message.WriteToAsync(file.FullName, ct).ConfigureAwait(false);
                context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Digest for {day:yyyy-MM-dd} written to {file.FullName} ({document.Pictures.Count()} pictures)."));
            }

            if (parse.GetValue(send))
            {
                if (string.IsNullOrWhiteSpace(options.SmtpHost) || options.Recipients.Count == 0 || !options.Recipients.All(PlainMailbox.IsValid))
                {
                    context.Console.WriteLine("Sending needs Reports:Digest:SmtpHost and plain addresses in Reports:Digest:Recipients.");
                    return 2;
                }

                await app.Services.GetRequiredService<DigestRunner>().SendAsync(document, ct).ConfigureAwait(false);
                context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Digest for {day:yyyy-MM-dd} sent to {options.Recipients.Count} recipient(s)."));
            }

            return 0;
        });
        return digest;
    }
}
