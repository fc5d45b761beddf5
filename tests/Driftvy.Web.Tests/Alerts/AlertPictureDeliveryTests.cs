using System.Net;
using System.Text;
using System.Text.Json;
using Driftvy.Web.Alerts;
using Driftvy.Web.Alerts.Delivery;
using Driftvy.Web.Alerts.State;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Driftvy.Web.Tests.Alerts;

/// <summary>
/// The picture an alert carries, end to end: decided by the monitor, stored with its notifications, inline in the
/// e-mail the SMTP sink catches, and behind a signed link in the Teams card that answers the stored PNG until it expires.
/// </summary>
public sealed class AlertPictureDeliveryTests : IDisposable
{
    private readonly string _rules = Path.Combine(Path.GetTempPath(), $"driftvy-alert-pictures-{Guid.NewGuid():N}.json");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static AlertRule ServiceLevelRule(string channel) => new()
    {
        Id = "kc-sl-picture",
        Name = "Servicegraden sjunker",
        Measure = AlertMeasure.Kpi,
        Kpi = "kc_answered_within_1_min",
        Queue = "kc-stockholm",
        Window = AlertWindow.Last60Minutes,
        Condition = AlertCondition.Below,
        Threshold = 80,
        Severity = AlertSeverity.Critical,
        Channels = [channel],
    };

    private Dictionary<string, string?> Settings(string channelJson)
    {
        File.WriteAllText(_rules, $$"""{ "rules": [], "channels": [ {{channelJson}} ] }""");
        return new Dictionary<string, string?>
        {
            ["Alerts:RulesFile"] = _rules,
            ["Alerts:PublicBaseUrl"] = "https://driftvy.example.se/",
            ["Alerts:Delivery:InitialBackoff"] = "00:00:00.050",
        };
    }

    [Fact]
    public async Task Deliver_EmailChannel_CarriesThePictureInlineReferencedFromTheHtml()
    {
        await using var sink = new SmtpSink();
        await using var app = new DriftvyAppFactory(Settings($$"""
            { "id": "mail", "kind": "email", "smtp_host": "127.0.0.1", "smtp_port": {{sink.Port}}, "from": "driftvy@example.org", "to": ["teamledare@example.org"] }
            """));
        _ = app.Server;

        await app.Services.GetRequiredService<AlertMonitor>().ReportAsync(ServiceLevelRule("mail"), breached: true, 71.5, Ct);

        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(sink.Messages.Count > 0), TimeSpan.FromSeconds(30), Ct), "no e-mail reached the sink");
        var message = Parse(Assert.Single(sink.Messages));
        var picture = Assert.Single(message.BodyParts.OfType<MimePart>(), p => p.ContentType.IsMimeType("image", "png"));
        Assert.False(string.IsNullOrEmpty(picture.ContentId));
        // Inline: the picture sits in a multipart/related beside the HTML that shows it, not as an attachment.
        var related = Assert.Single(Descendants(message.Body!).OfType<MultipartRelated>());
        Assert.Contains(picture, related);
        Assert.Contains(related, e => e.ContentType.IsMimeType("text", "html"));
        Assert.Contains($"src=\"cid:{picture.ContentId}\"", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Servicegraden sjunker", message.TextBody ?? "", StringComparison.Ordinal);

        using var bytes = new MemoryStream();
        await picture.Content!.DecodeToAsync(bytes, Ct);
        var png = bytes.ToArray();
        Assert.Equal(PngSignature, png[..8]);
        using var image = new ScottPlot.Image(png);
        Assert.Equal((720, 360), (image.Width, image.Height));

        // What went out is what was stored with the notification.
        var stored = await app.Services.GetRequiredService<AlertStateStore>().FindImageAsync(picture.ContentId.Split('@')[0], Ct);
        Assert.NotNull(stored);
        Assert.Equal(png, stored.Png);
    }

    [Fact]
    public async Task Deliver_TeamsChannel_CardLinksAPictureThatAnswersUntilItExpires()
    {
        var clock = TestClock.Frozen(TestClock.OrdinaryMorning);
        await using var receiver = new WebhookReceiver();
        await using var app = new DriftvyAppFactory(Settings($$"""{ "id": "teams", "kind": "teams", "url": "{{receiver.Url}}" }"""), time: clock);
        _ = app.Server;

        await app.Services.GetRequiredService<AlertMonitor>().ReportAsync(ServiceLevelRule("teams"), breached: true, 71.5, Ct);

        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(receiver.Requests.Count > 0), TimeSpan.FromSeconds(30), Ct), "no card reached the receiver");
        var card = JsonDocument.Parse(receiver.Requests[0].Body).RootElement;
        var link = new Uri(card.GetProperty("sections")[0].GetProperty("images")[0].GetProperty("image").GetString()!);
        Assert.Equal("driftvy.example.se", link.Host);
        Assert.Matches(@"^/alerts/images/[0-9a-f]{32}\.png$", link.AbsolutePath);
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        var exp = long.Parse(query["exp"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((TestClock.OrdinaryMorning + TimeSpan.FromDays(7)).ToUnixTimeSeconds(), exp);

        using var client = app.CreateClient();
        using (var ok = await client.GetAsync(link.PathAndQuery, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("image/png", ok.Content.Headers.ContentType?.MediaType);
            var png = await ok.Content.ReadAsByteArrayAsync(Ct);
            Assert.Equal(PngSignature, png[..8]);
            var id = link.AbsolutePath["/alerts/images/".Length..^".png".Length];
            Assert.Equal((await app.Services.GetRequiredService<AlertStateStore>().FindImageAsync(id, Ct))!.Png, png);
        }

        var sig = query["sig"]!;
        var tampered = new[]
        {
            link.PathAndQuery.Replace("sig=" + sig, "sig=" + (sig[0] == 'A' ? 'B' : 'A') + sig[1..], StringComparison.Ordinal),
            link.PathAndQuery.Replace("exp=" + exp, "exp=" + (exp + 86_400), StringComparison.Ordinal),
            link.PathAndQuery.Replace("&sig=" + sig, "", StringComparison.Ordinal),
        };
        foreach (var path in tampered)
        {
            using var refused = await client.GetAsync(path, Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)refused.StatusCode}");
        }

        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        using (var stillValid = await client.GetAsync(link.PathAndQuery, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        }

        clock.Advance(TimeSpan.FromMinutes(2));
        using var expired = await client.GetAsync(link.PathAndQuery, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
    }

    [Fact]
    public void Check_ConfiguredSigningKey_HmacLinkValidAndOtherKeysRefused()
    {
        var clock = TestClock.Frozen(TestClock.OrdinaryMorning);
        AlertImageLinks Links(string key) => new(
            Microsoft.Extensions.Options.Options.Create(new AlertImageOptions { SigningKey = key }),
            Microsoft.Extensions.Options.Options.Create(new AlertOptions { PublicBaseUrl = "https://driftvy.example.se" }),
            new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider(),
            clock);
        var links = Links(new string('k', 40));
        var other = Links(new string('x', 40));

        var link = links.LinkTo("0123456789abcdef0123456789abcdef")!;
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);

        Assert.Equal("https://driftvy.example.se/alerts/images/0123456789abcdef0123456789abcdef.png", link.GetLeftPart(UriPartial.Path));
        Assert.Equal(AlertImageLinkCheck.Valid, links.Check("0123456789abcdef0123456789abcdef", query["exp"], query["sig"]));
        Assert.Equal(AlertImageLinkCheck.BadSignature, other.Check("0123456789abcdef0123456789abcdef", query["exp"], query["sig"]));
        Assert.Equal(AlertImageLinkCheck.BadSignature, links.Check("ffffffffffffffffffffffffffffffff", query["exp"], query["sig"]));
        clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(AlertImageLinkCheck.Expired, links.Check("0123456789abcdef0123456789abcdef", query["exp"], query["sig"]));
    }

    private static IEnumerable<MimeEntity> Descendants(MimeEntity entity) =>
        entity is Multipart multipart ? [entity, .. multipart.SelectMany(Descendants)] : [entity];

    /// <summary>The sink keeps the DATA lines as sent: undo the SMTP dot-stuffing before parsing.</summary>
    private static MimeMessage Parse(string raw)
    {
        var lines = raw.Split('\n').Select(l => l.TrimEnd('\r')).Select(l => l.StartsWith("..", StringComparison.Ordinal) ? l[1..] : l);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\r\n", lines)));
        return MimeMessage.Load(stream);
    }

    public void Dispose() => File.Delete(_rules);
}
