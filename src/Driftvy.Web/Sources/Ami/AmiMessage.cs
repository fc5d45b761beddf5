using System.Globalization;
using System.Text;

namespace Driftvy.Web.Sources.Ami;

/// <summary>One AMI message: <c>Key: Value</c> lines ended by an empty line (a response, an event or an action).</summary>
internal sealed class AmiMessage(Dictionary<string, string> fields)
{
    public IReadOnlyDictionary<string, string> Fields => fields;

    public string? this[string key] => fields.TryGetValue(key, out var v) ? v : null;

    public string? Event => this["Event"];

    public string? Response => this["Response"];

    public int Int(string key) => int.TryParse(this[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>An action as it goes on the wire (CRLF lines, an empty line at the end).</summary>
    public static string Action(string name, string actionId, params (string Key, string Value)[] fields)
    {
        var sb = new StringBuilder();
        sb.Append("Action: ").Append(name).Append("\r\n").Append("ActionID: ").Append(actionId).Append("\r\n");
        foreach (var (k, v) in fields)
        {
            sb.Append(k).Append(": ").Append(v).Append("\r\n");
        }

        return sb.Append("\r\n").ToString();
    }

    /// <summary>Reads the next message; null at the end of the stream.</summary>
    public static async Task<AmiMessage?> ReadAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (fields.Count > 0)
                {
                    return new AmiMessage(fields);
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                // A repeated key (ChanVariable…) keeps its first value: none of those is read here.
                fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }
    }
}
