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
        // Strict JSON: comments, trailing commas and anything after the array are refused (a sender that writes them
        // writes something other than what it means to), as are duplicate fields (which one would it mean?).
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
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
                var seen = new bool[columns.Count];
                var ok = true;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = Name(ref reader);
                    var index = name is null ? -1 : CsvRecordReader.IndexOf(columns, name.ToLowerInvariant());
                    reader.Read();
                    if (index < 0)
                    {
                        errors.Add(name is null
                            ? new IngestError(line, null, "a field name is not valid UTF-16 text (a lone surrogate escape)")
                            : new IngestError(line, name, $"unexpected field '{name}'; the fields are {string.Join(", ", columns.Select(c => c.Name))}"));
                        reader.Skip();
                        ok = false;
                        continue;
                    }

                    if (seen[index])
                    {
                        errors.Add(new IngestError(line, columns[index].Name, $"'{columns[index].Name}' appears more than once in the record"));
                        reader.Skip();
                        ok = false;
                        continue;
                    }

                    seen[index] = true;
                    if (columns[index].TextOnly && reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                    {
                        errors.Add(new IngestError(line, columns[index].Name, $"must be a JSON string (\"{columns[index].Name}\": \"…\"), not a {Describe(reader.TokenType)}"));
                        reader.Skip();
                        ok = false;
                        continue;
                    }

                    switch (reader.TokenType)
                    {
                        case JsonTokenType.String:
                            if (Text(ref reader) is not { } value)
                            {
                                errors.Add(new IngestError(line, columns[index].Name, "is not valid UTF-16 text (a lone surrogate escape)"));
                                ok = false;
                                break;
                            }

                            var s = value.Trim();
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

            // Only white space may follow the array: a second array, a stray bracket or text is refused.
            if (reader.Read())
            {
                errors.Add(new IngestError(lines.LineAt(reader.TokenStartIndex), null, "text after the end of the array"));
            }
        }
        catch (JsonException ex)
        {
            errors.Add(new IngestError((int)(ex.LineNumber ?? 0) + 1, null, "not valid JSON: " + ex.Message.Split(" Path:", StringSplitOptions.None)[0]));
        }

        return rows;
    }

    private static string? Name(ref Utf8JsonReader reader) => Text(ref reader);

    /// <summary>The string token's text; null when its escapes do not make valid UTF-16 (a lone <c>\ud800</c>).</summary>
    private static string? Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "true/false",
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        _ => token.ToString(),
    };

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
