using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Driftvy.Web.Sources.Ingestion;

/// <summary>
/// Opens a drop-folder file for reading without following a symbolic link. Checking first and opening after
/// leaves a moment in which the file can be swapped for a link; on Linux the kernel refuses the link in the same
/// call that opens the file (<c>O_NOFOLLOW</c>). Elsewhere the check before opening is what there is.
/// </summary>
internal static class NoFollowFile
{
    // O_RDONLY | O_CLOEXEC | O_NOFOLLOW; O_NOFOLLOW's value differs between architectures.
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    public static FileStream OpenRead(string path)
    {
        if (IsLink(path))
        {
            throw new IOException($"{Path.GetFileName(path)} is a symbolic link; the drop folder does not follow links");
        }

        if (OperatingSystem.IsLinux() && NoFollowFlag() is { } noFollow)
        {
            var fd = Open(path, ReadOnly | CloseOnExec | noFollow);
            if (fd < 0)
            {
                throw new IOException($"{Path.GetFileName(path)} could not be opened without following links (errno {Marshal.GetLastPInvokeError()})");
            }

            return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 1 << 16);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
    }

    /// <summary>True for a symbolic link (or another reparse point) at <paramref name="path"/> itself, file or folder.</summary>
    public static bool IsLink(string path)
    {
        var info = new FileInfo(path);
        return info.Exists || Directory.Exists(path)
            ? info.LinkTarget is not null || info.Attributes.HasFlag(FileAttributes.ReparsePoint)
            : false;
    }

    private static int? NoFollowFlag() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x20000,
        Architecture.Arm64 or Architecture.Arm => 0x8000,
        _ => null,
    };

    private static int Open(string path, int flags)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(path) + 1];
        System.Text.Encoding.UTF8.GetBytes(path, bytes);
        return OpenNative(bytes, flags);
    }

    // DllImport rather than the source-generated LibraryImport, which would need unsafe code in the whole
    // project for this one call; a byte array (the path, NUL-terminated) is marshalled without it.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenNative(byte[] path, int flags);
#pragma warning restore SYSLIB1054
}
