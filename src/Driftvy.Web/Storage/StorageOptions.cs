namespace Driftvy.Web.Storage;

/// <summary>Where facts are kept. Section <c>Storage</c>; the connection strings live under <c>ConnectionStrings</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Folder for the embedded SQLite database (relative to the working directory).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Apply pending migrations at start-up. Turn off where a DBA applies them.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
