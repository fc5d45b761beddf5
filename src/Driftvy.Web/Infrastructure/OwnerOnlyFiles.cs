namespace Driftvy.Web.Infrastructure;

/// <summary>
/// Secrets and the database are readable by the service's own account only (0600): on a shared host the umask's
/// usual 0644 would let every local user copy the caller-hash key or the whole database.
/// </summary>
internal static class OwnerOnlyFiles
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> with owner-only permissions from the first byte (never briefly world-readable).</summary>
    public static void CreateWithText(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        using var writer = new StreamWriter(path, System.Text.Encoding.UTF8, options);
        writer.Write(text);
    }

    /// <summary>Takes group and other permissions away from an existing file (one created before this rule, or by a library).</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) & OwnerReadWrite);
        }
    }
}
