using System.Globalization;

namespace Driftvy.Web.Sources.QueueLog;

/// <summary>
/// One line of Asterisk's queue_log: <c>epoch|callid|queue|agent|event|data…</c>. The older layout writes the event's
/// parameters as one <c>data</c> field holding <c>a|b|c</c>, the newer one as <c>data1</c>…<c>data5</c> (trailing ones
/// empty); on disk both are pipe-separated, so the parameters are simply the fields after the event, however many.
/// </summary>
internal readonly record struct QueueLogLine(long Epoch, string CallId, string Queue, string Agent, string Event, string[] Data)
{
    public DateTimeOffset At => DateTimeOffset.FromUnixTimeSeconds(Epoch);

    /// <summary>Parses one line; <paramref name="problem"/> says why it is not a queue_log line.</summary>
    public static bool TryParse(string line, out QueueLogLine parsed, out string? problem)
    {
        parsed = default;
        var fields = line.TrimEnd('\r').Split('|');
        if (fields.Length < 5)
        {
            problem = $"{fields.Length} field(s); a queue_log line has at least 5 (epoch|callid|queue|agent|event)";
            return false;
        }

        // Some systems log the epoch with a fraction (1732953600.123456): whole seconds are what Asterisk counts in.
        var epochText = fields[0].AsSpan();
        var dot = epochText.IndexOf('.');
        if (dot >= 0)
        {
            epochText = epochText[..dot];
        }

        if (!long.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) || epoch <= 0 || epoch > 253_402_300_799)
        {
            problem = $"'{fields[0]}' is not a Unix time in seconds";
            return false;
        }

        var name = fields[4].Trim();
        if (name.Length == 0)
        {
            problem = "the event field is empty";
            return false;
        }

        parsed = new QueueLogLine(epoch, fields[1], fields[2], fields[3], name.ToUpperInvariant(), fields[5..]);
        problem = null;
        return true;
    }

    /// <summary>Parameter <paramref name="index"/> (0 = data1) as whole seconds, or null when absent, empty or not a count.</summary>
    public int? Seconds(int index) =>
        index < Data.Length && int.TryParse(Data[index].AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;

    /// <summary>Parameter <paramref name="index"/> (0 = data1), or null when absent or empty.</summary>
    public string? Text(int index) => index < Data.Length && Data[index].Trim() is { Length: > 0 } t ? t : null;
}
