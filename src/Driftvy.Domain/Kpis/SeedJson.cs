using System.Text.Json;
using System.Text.Json.Serialization;

namespace Driftvy.Domain.Kpis;

/// <summary>One set of JSON rules for every seed file: snake_case, unknown fields rejected, nulls only where declared.</summary>
internal static class SeedJson
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    internal static T Deserialize<T>(string json, string source)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                   ?? throw new CatalogValidationException(source, "$", "the document is null");
        }
        catch (JsonException ex)
        {
            // Path is where the reader stopped: for a bad value it is the field itself, for a missing
            // required field it is the object that lacks it (the message names the field).
            throw new CatalogValidationException(source, ex.Path ?? "$", ex.Message, ex);
        }
    }

    internal static CatalogValidationException Error(string source, string field, string problem) => new(source, field, problem);
}
