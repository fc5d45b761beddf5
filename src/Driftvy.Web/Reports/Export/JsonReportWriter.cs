using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Driftvy.Web.Reports.Export;

/// <summary>
/// The report document as JSON (snake_case names, enums as names, unrounded numbers). The same form is
/// what a frozen report is stored as, so reading it back and exporting gives the same bytes.
/// </summary>
public static class JsonReportWriter
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write(ReportDocument report, Stream output) => JsonSerializer.Serialize(output, report, Options);

    public static string Serialize(ReportDocument report) => JsonSerializer.Serialize(report, Options);

    public static ReportDocument Deserialize(string json) =>
        JsonSerializer.Deserialize<ReportDocument>(json, Options) ?? throw new JsonException("empty report document");
}
