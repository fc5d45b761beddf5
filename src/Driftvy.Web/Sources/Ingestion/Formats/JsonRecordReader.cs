using System.Text;
using System.Text.Json;

namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary>
/// Reads the JSON form of a format: an array of objects whose property names are the CSV columns.
/// Numbers, true/false and null are taken as their text; a missing property is an empty value.
/// Errors name the line of the object's opening brace.
/// </summary>
internal static class JsonRecordReader
{
    public static List<RawRow> Read(string text, IReadOnlyList<ColumnSpec> columns, List<IngestError> errors)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var rows = new List<RawRow>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var lines = new LineCounter(bytes);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                errors.Add(new IngestError(1, null, "the JSON must be an array of records ([{...}, {...}])"));
                return rows;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var line = lines.LineAt(reader.TokenStartIndex);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    errors.Add(new IngestError(line, null, "each record must be a JSON object"));
                    reader.Skip();
                    continue;
                }

                var values = new string?[columns.Count];
                var ok = true;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    var index = CsvRecordReader.IndexOf(columns, name.ToLowerInvariant());
                    reader.Read();
                    if (index < 0)
                    {
                        errors.Add(new IngestError(line, name, $"unexpected field '{name}'; the fields are {string.Join(", ", columns.Select(c => c.Name))}"));
                        reader.Skip();
                        ok = false;
                        continue;
                    }

                    switch (reader.TokenType)
                    {
                        case JsonTokenType.String:
                            var s = reader.GetString()!.Trim();
                            values[index] = s.Length == 0 ? null : s;
                            break;
                        case JsonTokenType.Number:
                            values[index] = Encoding.UTF8.GetString(reader.ValueSpan);
                            break;
                        case JsonTokenType.True:
                            values[index] = "true";
                            break;
                        case JsonTokenType.False:
                            values[index] = "false";
                            break;
                        case JsonTokenType.Null:
                            break;
                        default:
                            errors.Add(new IngestError(line, name, "must be a text, a number, true/false or null"));
                            reader.Skip();
                            ok = false;
                            break;
                    }
                }

                if (ok)
                {
                    rows.Add(new RawRow(line, values));
                }
            }
        }
        catch (JsonException ex)
        {
            errors.Add(new IngestError((int)(ex.LineNumber ?? 0) + 1, null, "not valid JSON: " + ex.Message.Split(" Path:", StringSplitOptions.None)[0]));
        }

        return rows;
    }

    /// <summary>Counts line breaks incrementally (token offsets only grow).</summary>
    private sealed class LineCounter(byte[] bytes)
    {
        private long _offset;
        private int _line = 1;

        public int LineAt(long offset)
        {
            _line += bytes.AsSpan((int)_offset, (int)(offset - _offset)).Count((byte)'\n');
            _offset = offset;
            return _line;
        }
    }
}
