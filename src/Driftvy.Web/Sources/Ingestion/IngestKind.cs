namespace Driftvy.Web.Sources.Ingestion;

/// <summary>The canonical record kinds Driftvy takes in (see "Data formats" in the README).</summary>
public enum IngestKind
{
    Contacts,
    Cases,
    Volumes,
    Staffing,
    Snapshots,
}

internal static class IngestKinds
{
    public static readonly IReadOnlyList<string> Names = ["contacts", "cases", "volumes", "staffing", "snapshots"];

    public static string Name(this IngestKind kind) => Names[(int)kind];

    /// <summary>Parses a kind name; <c>queue-snapshots</c> is accepted for <c>snapshots</c>.</summary>
    public static bool TryParse(string? text, out IngestKind kind)
    {
        var name = text?.Trim().ToLowerInvariant();
        if (name is "queue-snapshots" or "queue_snapshots")
        {
            name = "snapshots";
        }

        for (var i = 0; i < Names.Count; i++)
        {
            if (Names[i] == name)
            {
                kind = (IngestKind)i;
                return true;
            }
        }

        kind = default;
        return false;
    }
}

/// <summary>How the bytes of an import are laid out.</summary>
public enum TextFormat
{
    /// <summary>JSON when the first non-blank character is <c>[</c> or <c>{</c>, else CSV.</summary>
    Auto,
    Csv,
    Json,
}
