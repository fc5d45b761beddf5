using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Reports.Digest;
using Driftvy.Web.Steering;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Steering;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Driftvy.Web.Tests.Reports;

/// <summary>The morning steering digest: which day it covers, its figures and pictures as the SMTP sink gets them, sent once.</summary>
public sealed class DigestTests
{
    // Monday 30 November 2026, 06:00 in Stockholm (CET): before the digest's 06:30.
    private static readonly DateTimeOffset MondayMorning = new(2026, 11, 30, 5, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Friday = new(2026, 11, 27);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("2026-11-30", "2026-11-27")] // Monday: Friday
    [InlineData("2026-12-02", "2026-12-01")] // Wednesday: Tuesday
    [InlineData("2026-04-07", "2026-04-02")] // Tuesday after Easter: Maundy Thursday (Good Friday and Easter Monday are holidays)
    [InlineData("2027-01-07", "2027-01-05")] // the day after Epiphany: the Tuesday before
    public void CoveredDay_SendDay_IsThePreviousWorkingDay(string send, string covered)
    {
        Assert.Equal(DateOnly.Parse(covered, System.Globalization.CultureInfo.InvariantCulture),
            DigestService.CoveredDay(DateOnly.Parse(send, System.Globalization.CultureInfo.InvariantCulture), new WorkingCalendar()));
    }

    [Fact]
    public async Task Run_MondayUnderAFakeClock_SendsFridayOnceWithFiguresAndInlinePictures()
    {
        await using var sink = new SmtpSink();
        var clock = new FakeTimeProvider(MondayMorning);
        var facts = FakeBackOfficeFacts.Plausible(Friday, MondayMorning.AddHours(-8));
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?>
        {
            ["Reports:Digest:Enabled"] = "true",
            ["Reports:Digest:SmtpHost"] = "127.0.0.1",
            ["Reports:Digest:SmtpPort"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Reports:Digest:From"] = "driftvy@example.org",
            ["Reports:Digest:Recipients:0"] = "ledningsgrupp@example.org",
            ["Reports:Digest:Queues:0"] = "kc-stockholm",
            ["Reports:Digest:Teams:0"] = "lr",
        }, time: clock, services: s => s.Replace(ServiceDescriptor.Singleton<IBackOfficeFacts>(facts)));
        _ = app.Server;
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(Ct);
        // Friday: 8 calls answered within 20 s and 2 after five minutes → 80 % within a minute against 85 %.
        await app.Services.GetRequiredService<IContactFactStore>().AddNewAsync("test", [.. Calls("f", Friday, 8, 20), .. Calls("f-late", Friday, 2, 300)], Ct);
        var runner = app.Services.GetRequiredService<DigestRunner>();
        var otherInstance = ActivatorUtilities.CreateInstance<DigestRunner>(app.Services);

        Assert.Null(await runner.RunAsync(Ct)); // 06:00: not yet
        clock.Advance(TimeSpan.FromMinutes(31));
        // Two instances at once (and the host's own scheduled job, which may fire meanwhile): Friday goes out once.
        var sent = await Task.WhenAll(runner.RunAsync(Ct), otherInstance.RunAsync(Ct));
        Assert.True(sent.Count(d => d is not null) <= 1, "two instances both sent the digest");
        Assert.All(sent.OfType<DateOnly>(), d => Assert.Equal(Friday, d));
        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(sink.Messages.Count > 0), TimeSpan.FromSeconds(30), Ct), "no digest reached the sink");
        Assert.Null(await runner.RunAsync(Ct));
        clock.Advance(TimeSpan.FromHours(3));
        Assert.Null(await otherInstance.RunAsync(Ct));

        var message = Parse(Assert.Single(sink.Messages));
        Assert.Equal("Driftvy: styrning fredag 27 nov 2026 mot mål", message.Subject);
        Assert.Equal("ledningsgrupp@example.org", Assert.Single(message.To.Mailboxes).Address);
        var text = message.TextBody ?? "";
        Assert.Contains("Kontaktcenter Stockholm", text, StringComparison.Ordinal);
        Assert.Contains(": 80,0 % (mål 85,0 %) – når inte målet", text, StringComparison.Ordinal);
        Assert.Contains("Inkommande samtal: 10", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Äldre direkt", text, StringComparison.Ordinal);

        var pictures = message.BodyParts.OfType<MimePart>().Where(p => p.ContentType.IsMimeType("image", "png")).ToList();
        Assert.Equal(["ko-kc-stockholm@driftvy", "team-lr@driftvy"], pictures.Select(p => p.ContentId).Order(StringComparer.Ordinal));
        foreach (var picture in pictures)
        {
            Assert.Contains($"src=\"cid:{picture.ContentId}\"", message.HtmlBody ?? "", StringComparison.Ordinal);
            using var bytes = new MemoryStream();
            await picture.Content!.DecodeToAsync(bytes, Ct);
            await File.WriteAllBytesAsync(ChromiumBrowser.ArtifactPath($"digest-{picture.ContentId!.Split('@')[0]}.png"), bytes.ToArray(), Ct);
            using var image = new ScottPlot.Image(bytes.ToArray());
            Assert.Equal((640, 320), (image.Width, image.Height));
        }
    }

    [Fact]
    public async Task Run_Saturday_SendsNothing()
    {
        await using var sink = new SmtpSink();
        var saturday = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?>
        {
            ["Reports:Digest:Enabled"] = "true",
            ["Reports:Digest:SmtpHost"] = "127.0.0.1",
            ["Reports:Digest:SmtpPort"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Reports:Digest:Recipients:0"] = "ledningsgrupp@example.org",
        }, time: saturday);
        _ = app.Server;

        Assert.Null(await app.Services.GetRequiredService<DigestRunner>().RunAsync(Ct));
        Assert.Empty(sink.Messages);
    }

    /// <summary><paramref name="count"/> answered calls to kc-stockholm from 09:00 on <paramref name="day"/>.</summary>
    private static IEnumerable<ContactRecord> Calls(string prefix, DateOnly day, int count, int answerAfter)
    {
        var start = StockholmTime.ToUtc(day, new TimeOnly(9, 0));
        for (var i = 0; i < count; i++)
        {
            var offered = start.AddMinutes(i);
            yield return new ContactRecord($"{prefix}-{i}", Channel.Phone, "kc-stockholm", offered, offered.AddSeconds(answerAfter), null, offered.AddSeconds(answerAfter + 200), true);
        }
    }

    private static MimeMessage Parse(string raw)
    {
        var lines = raw.Split('\n').Select(l => l.TrimEnd('\r')).Select(l => l.StartsWith("..", StringComparison.Ordinal) ? l[1..] : l);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join("\r\n", lines)));
        return MimeMessage.Load(stream);
    }
}
