using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary>Strict UTF-8 decoding: a stray Latin-1 byte is an error naming its line and column, never a silent '?'.</summary>
internal static class Utf8Text
{
    public static string? Decode(ReadOnlySpan<byte> bytes, List<IngestError> errors)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, bytes.Length));
        try
        {
            var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status == OperationStatus.Done)
            {
                return new string(chars, 0, written);
            }

            var before = bytes[..read];
            var line = before.Count((byte)'\n') + 1;
            var lineStart = before.LastIndexOf((byte)'\n') + 1;
            var column = Encoding.UTF8.GetCharCount(before[lineStart..]) + 1;
            errors.Add(new IngestError(line, null, $"byte 0x{bytes[read]:X2} at character {column} is not valid UTF-8; save the file as UTF-8 (Excel: \"CSV UTF-8\")"));
            return null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
