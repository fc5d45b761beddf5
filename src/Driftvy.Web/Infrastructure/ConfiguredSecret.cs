namespace Driftvy.Web.Infrastructure;

/// <summary>
/// A secret setting written as itself or as <c>env:NAME</c> (read from that environment variable, so the secret stays
/// out of files): webhook URLs of alert channels, the metrics key, the alert pictures' signing key.
/// </summary>
internal static class ConfiguredSecret
{
    private const string Prefix = "env:";

    /// <summary>Whether the setting names an environment variable.</summary>
    public static bool NamesVariable(string? value) => value?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The variable a setting names (for messages); the setting itself otherwise.</summary>
    public static string VariableName(string value) => NamesVariable(value) ? value[Prefix.Length..] : value;

    /// <summary>The setting's value, or its variable's; null when the variable is not set.</summary>
    public static string? Resolve(string? value) =>
        NamesVariable(value) ? Environment.GetEnvironmentVariable(value![Prefix.Length..]) : value;
}
