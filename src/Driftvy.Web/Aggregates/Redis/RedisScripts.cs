using System.Reflection;

namespace Driftvy.Web.Aggregates.Redis;

/// <summary>
/// The store's Lua scripts, kept as <c>Scripts/*.lua</c> files embedded in the assembly so they can be read, linted
/// and diffed as Lua. They are passed to <c>ScriptEvaluateAsync</c> as text: StackExchange.Redis sends each by its
/// SHA-1 once the server has it and sends the text again after a server restart emptied the script cache.
/// </summary>
internal static class RedisScripts
{
    /// <summary>Folds a batch, compare-and-set on the watermark (see the header of <c>apply.lua</c>).</summary>
    public static string Apply { get; } = Load("apply.lua");

    /// <summary>Reads tally queries and charts as of one moment (see the header of <c>query.lua</c>).</summary>
    public static string Query { get; } = Load("query.lua");

    private static string Load(string name)
    {
        var resource = $"{typeof(RedisScripts).Namespace}.Scripts.{name}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded script {resource} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
