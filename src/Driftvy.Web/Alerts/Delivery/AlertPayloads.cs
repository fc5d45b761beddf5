using System.Globalization;

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

    /// <summary>A Microsoft Teams incoming-webhook message card.</summary>
    public static object Teams(AlertEvent e, string key) => new Dictionary<string, object?>
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

    /// <summary>A generic JSON body for any webhook receiver.</summary>
    public static object Generic(AlertEvent e, string key) => new
    {
        @event = e.Kind.ToString().ToLowerInvariant(),
        idempotencyKey = key,
        alert = AlertView.From(e.Incident),
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
