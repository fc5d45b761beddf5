using System.Text;

namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary>
/// Reads CSV as Excel writes it: a header row, <c>,</c> or <c>;</c> as separator (taken from the header),
/// values optionally in double quotes with <c>""</c> for a quote and line breaks allowed inside quotes.
/// Values are read as text only; nothing is ever evaluated, so a cell starting with <c>=</c> stays that text.
/// With <c>ignoreUnknown</c>, columns the format does not name (a system's own export) are skipped instead of refused.
/// </summary>
internal static class CsvRecordReader
{
    public static IEnumerable<RawRow> Read(string text, IReadOnlyList<ColumnSpec> columns, List<IngestError> errors, bool ignoreUnknown = false)
    {
        var parser = new Parser(text, DetectSeparator(text));
        var fields = new List<string>();
        var header = Array.Empty<int>();
        while (parser.Next(fields, out var line, out var error))
        {
            if (error is not null)
            {
                errors.Add(new IngestError(line, null, error));
                yield break;
            }

            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue;
            }

            if (header.Length == 0)
            {
                header = MapHeader(fields, columns, line, errors, ignoreUnknown);
                if (header.Length == 0)
                {
                    yield break;
                }

                continue;
            }

            if (fields.Count != header.Length)
            {
                errors.Add(new IngestError(line, null, $"expected {header.Length} values (one per header column), found {fields.Count}"));
                continue;
            }

            var values = new string?[columns.Count];
            for (var i = 0; i < header.Length; i++)
            {
                if (header[i] < 0)
                {
                    continue;
                }

                var v = fields[i].Trim();
                values[header[i]] = v.Length == 0 ? null : v;
            }

            yield return new RawRow(line, values);
        }

        if (header.Length == 0 && errors.Count == 0)
        {
            errors.Add(new IngestError(1, null, "the file is empty: a header row is needed (" + string.Join(',', columns.Select(c => c.Name)) + ")"));
        }
    }

    /// <summary>The header's position → the format's column index; empty when the header is wrong (errors added).</summary>
    private static int[] MapHeader(List<string> names, IReadOnlyList<ColumnSpec> columns, int line, List<IngestError> errors, bool ignoreUnknown)
    {
        var before = errors.Count;
        var map = new int[names.Count];
        var seen = new HashSet<int>();
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i].Trim().ToLowerInvariant();
            var index = IndexOf(columns, name);
            if (index < 0 && !ignoreUnknown)
            {
                errors.Add(new IngestError(line, names[i], $"unexpected column '{names[i]}'; the columns are {string.Join(", ", columns.Select(c => c.Name))}"));
            }
            else if (index >= 0 && !seen.Add(index))
            {
                errors.Add(new IngestError(line, name, "the column appears twice in the header"));
            }

            map[i] = index;
        }

        for (var c = 0; c < columns.Count; c++)
        {
            if (!columns[c].Optional && !seen.Contains(c))
            {
                errors.Add(new IngestError(line, columns[c].Name, "missing column"));
            }
        }

        return errors.Count == before ? map : [];
    }

    internal static int IndexOf(IReadOnlyList<ColumnSpec> columns, string name)
    {
        for (var c = 0; c < columns.Count; c++)
        {
            if (columns[c].Name == name)
            {
                return c;
            }
        }

        return -1;
    }

    /// <summary>Swedish Excel writes <c>;</c> (the comma is the decimal separator): take whichever the header uses more.</summary>
    private static char DetectSeparator(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var header = end < 0 ? text.AsSpan() : text.AsSpan(0, end);
        return header.Count(';') > header.Count(',') ? ';' : ',';
    }

    private sealed class Parser(string text, char separator)
    {
        private readonly StringBuilder _quoted = new();
        private int _pos;
        private int _line = 1;

        public bool Next(List<string> fields, out int line, out string? error)
        {
            fields.Clear();
            line = _line;
            error = null;
            if (_pos >= text.Length)
            {
                return false;
            }

            while (true)
            {
                if (_pos < text.Length && text[_pos] == '"')
                {
                    if (!ReadQuoted(out var value))
                    {
                        error = "a quoted value is never closed (missing \")";
                        return true;
                    }

                    fields.Add(value);
                    if (_pos < text.Length && text[_pos] != separator && text[_pos] != '\r' && text[_pos] != '\n')
                    {
                        error = $"unexpected text after a closing quote in value {fields.Count}";
                        return true;
                    }
                }
                else
                {
                    var rest = text.AsSpan(_pos);
                    var end = rest.IndexOfAny(separator, '\r', '\n');
                    var length = end < 0 ? rest.Length : end;
                    fields.Add(text.Substring(_pos, length));
                    _pos += length;
                }

                if (_pos >= text.Length)
                {
                    return true;
                }

                var c = text[_pos++];
                if (c == separator)
                {
                    continue;
                }

                if (c == '\r' && _pos < text.Length && text[_pos] == '\n')
                {
                    _pos++;
                }

                _line++;
                return true;
            }
        }

        private bool ReadQuoted(out string value)
        {
            _quoted.Clear();
            _pos++;
            while (true)
            {
                var close = text.IndexOf('"', _pos);
                if (close < 0)
                {
                    value = "";
                    return false;
                }

                var chunk = text.AsSpan(_pos, close - _pos);
                _line += chunk.Count('\n');
                _quoted.Append(chunk);
                _pos = close + 1;
                if (_pos < text.Length && text[_pos] == '"')
                {
                    _quoted.Append('"');
                    _pos++;
                    continue;
                }

                value = _quoted.ToString();
                return true;
            }
        }
    }
}
