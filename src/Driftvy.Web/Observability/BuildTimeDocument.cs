using System.Reflection;

namespace Driftvy.Web.Observability;

/// <summary>
/// Whether this process is the build's OpenAPI document generator (Microsoft.Extensions.ApiDescription.Server runs the
/// app's entry point inside its <c>GetDocument.Insider</c> tool to read <c>/openapi/v1.json</c> without serving it).
/// </summary>
internal static class BuildTimeDocument
{
    public static bool IsGenerating { get; } =
        string.Equals(Assembly.GetEntryAssembly()?.GetName().Name, "GetDocument.Insider", StringComparison.Ordinal);
}
