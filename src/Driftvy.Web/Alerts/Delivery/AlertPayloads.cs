using System.Globalization;
using System.Net;
using MimeKit;

namespace Driftvy.Web.Alerts.Delivery;

/// <summary>What a notification says, per channel format.</summary>
internal static class AlertPayloads
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    public static string Subject(AlertEvent e) => $"[{SeverityText(e.Incident.Rule.Severity)}] {KindText(e.Kind)}: {e.Incident.Rule.Name}";

    public static string Text(AlertEvent e)
    {
        var i = e.Incident;
        var value = i.Value is { } v ? v.ToString("0.#", Swedish) : "–";
        var fired = Driftvy.Domain.Calendar.StockholmTime.LocalDateTime(i.FiredAt).ToString("yyyy-MM-dd HH:mm", Swedish);
        return $"{i.Rule.Name}\nKö: {i.Rule.Queue ?? "–"}\nVärde: {value}\nLarmade: {fired}\n" +
               (i.AcknowledgedBy is null ? "Ej kvitterat" : $"Kvitterat av {i.AcknowledgedBy}") +
               (i.Refires > 0 ? $"\nÅterkommit {i.Refires} gånger" : "");
    }

    /// <summary>
    /// The e-mail body: the text, and with a picture an HTML part that shows it inline (multipart/related, the picture
    /// referenced by its Content-ID), so a phone's mail app shows it without fetching anything.
    /// </summary>
    public static MimeEntity Mail(AlertEvent e, AlertImage? image)
    {
        ArgumentNullException.ThrowIfNull(e);
        var text = Text(e);
        var body = new BodyBuilder { TextBody = text };
        if (image is not null)
        {
            var picture = body.LinkedResources.Add($"larm-{image.Id}.png", image.Png, new ContentType("image", "png"));
            picture.ContentId = $"{image.Id}@driftvy";
            var lines = string.Join("<br>", text.Split('\n').Select(WebUtility.HtmlEncode));
            body.HtmlBody = "<!DOCTYPE html><html lang=\"sv\"><body style=\"font-family:sans-serif\">" +
                $"<h2 style=\"font-size:16px\">{WebUtility.HtmlEncode(Subject(e))}</h2><p>{lines}</p>" +
                $"<p><img src=\"cid:{picture.ContentId}\" alt=\"{WebUtility.HtmlEncode(PictureText(e))}\" width=\"720\" style=\"max-width:100%;height:auto\"></p>" +
                "</body></html>";
        }

        return body.ToMessageBody();
    }

    /// <summary>What the picture shows, in words (its alternative text).</summary>
    public static string PictureText(AlertEvent e) =>
        $"De senaste två timmarna för {e.Incident.Rule.Queue ?? e.Incident.Rule.Team ?? "kön"} med regelns gräns och när larmet gick";

    /// <summary>A Microsoft Teams incoming-webhook message card; with a picture link, a section shows it.</summary>
    public static object Teams(AlertEvent e, string key, Uri? imageUrl = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        var card = new Dictionary<string, object?>
        {
            ["idempotencyKey"] = key,
            ["@type"] = "MessageCard",
            ["@context"] = "https://schema.org/extensions",
            ["summary"] = Subject(e),
            ["themeColor"] = e.Incident.Rule.Severity switch
            {
                AlertSeverity.Critical => "D55E00",
                AlertSeverity.Warning => "E69F00",
                _ => "56B4E9",
            },
            ["title"] = Subject(e),
            ["text"] = Text(e).Replace("\n", "  \n", StringComparison.Ordinal),
        };
        if (imageUrl is not null)
        {
            card["sections"] = new object[]
            {
                new Dictionary<string, object?>
                {
                    ["images"] = new object[] { new Dictionary<string, object?> { ["image"] = imageUrl.AbsoluteUri, ["title"] = PictureText(e) } },
                },
            };
        }

        return card;
    }

    /// <summary>A generic JSON body for any webhook receiver.</summary>
    public static object Generic(AlertEvent e, string key, Uri? imageUrl = null) => new
    {
        @event = e.Kind.ToString().ToLowerInvariant(),
        idempotencyKey = key,
        alert = AlertView.From(e.Incident),
        imageUrl = imageUrl?.AbsoluteUri,
    };

    private static string SeverityText(AlertSeverity s) => s switch
    {
        AlertSeverity.Critical => "KRITISKT",
        AlertSeverity.Warning => "VARNING",
        _ => "INFO",
    };

    private static string KindText(AlertEventKind k) => k switch
    {
        AlertEventKind.Fired => "Larm",
        AlertEventKind.Refired => "Larm igen",
        AlertEventKind.Reminder => "Påminnelse",
        AlertEventKind.Resolved => "Åtgärdat",
        _ => "Kvitterat",
    };
}
