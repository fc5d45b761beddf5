using System.Globalization;

namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary>
/// Reads typed values out of one row, adding an error (line, column, reason) for each bad value instead
/// of stopping at the first, so a refused file lists everything that must be fixed.
/// </summary>
internal sealed class RowReader(IReadOnlyList<ColumnSpec> columns, UnitDirectory units, List<IngestError> errors)
{
    private RawRow _row;
    private int _errorsAtStart;

    public List<IngestError> Errors => errors;

    public int Line => _row.Line;

    public bool HasErrors => errors.Count > _errorsAtStart;

    // Columns whose value was refused for the characters it holds: nothing more is said about them (the rest of what
    // could be said would quote those characters back).
    private ulong _refused;

    public void Reset(RawRow row)
    {
        _row = row;
        _errorsAtStart = errors.Count;
        _refused = 0;
        for (var column = 0; column < row.Values.Length; column++)
        {
            if (row.Values[column] is { } value && ForbiddenCharacter(value) is { } problem)
            {
                Error(column, problem);
                _refused |= 1UL << Math.Min(column, 63);
            }
        }
    }

    /// <summary>
    /// Why a value may not be stored as it is: it holds a control character (NUL, a line break inside quotes, an escape…),
    /// which no id, code or text of these formats has, or a byte-order mark (U+FEFF), which only the very start of a file
    /// may hold (a BOM in mid-file is two files glued together, and would become part of an id). Null when it is fine.
    /// </summary>
    internal static string? ForbiddenCharacter(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                return $"holds the control character U+{(int)c:X4} at character {i + 1}; ids and text may not hold control characters";
            }

            if (c == '\uFEFF')
            {
                return $"holds a byte-order mark (U+FEFF) at character {i + 1}; only the very start of a file may hold one (two files joined together?)";
            }
        }

        return null;
    }

    public void Error(int column, string reason)
    {
        if ((_refused & (1UL << Math.Min(column, 63))) == 0)
        {
            errors.Add(new IngestError(_row.Line, columns[column].Name, reason));
        }
    }

    public string? Raw(int column) => _row.Values[column];

    /// <summary>Free text, kept exactly as given (a leading <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> is just a character).</summary>
    public string? Text(int column, bool required, int maxLength = 128)
    {
        var v = _row.Values[column];
        if (v is null)
        {
            if (required)
            {
                Error(column, "a value is required");
            }

            return null;
        }

        if (v.Length > maxLength)
        {
            Error(column, $"longer than {maxLength} characters");
            return null;
        }

        return v;
    }

    /// <summary>An id-like code (kinds): lower-case letters, digits, <c>_</c> and <c>-</c>.</summary>
    public string? Code(int column)
    {
        var v = Text(column, required: true, maxLength: 64);
        if (v is not null && !UnitDirectory.IsCode(v))
        {
            Error(column, $"'{v}' must be lower-case letters, digits, '_' or '-' (e.g. supplier_invoice)");
            return null;
        }

        return v;
    }

    public string? Queue(int column) => Unit(column, UnitDirectory.QueueKind);

    public string? Team(int column) => Unit(column, UnitDirectory.TeamKind);

    private string? Unit(int column, string kind)
    {
        var v = Text(column, required: true, maxLength: 64);
        if (v is null)
        {
            return null;
        }

        var (id, problem) = units.Resolve(kind, v);
        if (problem is not null)
        {
            Error(column, problem);
        }

        return id;
    }

    /// <summary>An ISO 8601 instant that must carry its UTC offset (a local time alone is ambiguous around DST).</summary>
    public DateTimeOffset? Timestamp(int column, bool required)
    {
        var v = _row.Values[column];
        if (v is null)
        {
            if (required)
            {
                Error(column, "a timestamp is required");
            }

            return null;
        }

        if (v.Length < 16 || v[4] != '-' || v[7] != '-' || (v[10] != 'T' && v[10] != 't' && v[10] != ' '))
        {
            Error(column, $"'{v}' is not an ISO 8601 timestamp (e.g. 2026-11-23T08:15:00+01:00)");
            return null;
        }

        if (!HasOffset(v))
        {
            Error(column, $"'{v}' has no UTC offset; write it as e.g. {v}+01:00 (Stockholm winter time) or with Z for UTC");
            return null;
        }

        if (!IsoInstant.TryParseCanonical(v, out var t) && !DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.None, out t))
        {
            Error(column, $"'{v}' is not a valid date and time");
            return null;
        }

        if (units.Instants.Problem(t, v) is { } implausible)
        {
            Error(column, implausible);
            return null;
        }

        return t;
    }

    private static bool HasOffset(string v)
    {
        if (v[^1] is 'Z' or 'z')
        {
            return true;
        }

        // After the date part, a sign can only start an offset (+01:00, -0500).
        var sign = v.AsSpan(11).IndexOfAny('+', '-');
        return sign >= 0;
    }

    public long? Long(int column, bool required, long min = 0, long max = long.MaxValue, string what = "number")
    {
        var v = _row.Values[column];
        if (v is null)
        {
            if (required)
            {
                Error(column, "a value is required");
            }

            return null;
        }

        if (!long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            Error(column, $"'{v}' is not a whole number");
            return null;
        }

        if (n < min)
        {
            Error(column, n < 0 ? $"negative {what} {v} is not allowed" : $"{what} {v} is below the minimum {min}");
            return null;
        }

        if (n > max)
        {
            Error(column, $"{what} {v} is above the maximum {max}");
            return null;
        }

        return n;
    }

    public int? Int(int column, bool required, int min = 0, int max = int.MaxValue, string what = "number") =>
        (int?)Long(column, required, min, max, what);

    /// <summary>A decimal with <c>.</c> or a Swedish decimal comma.</summary>
    public decimal? Decimal(int column, bool required, decimal min, decimal max, string what)
    {
        var v = _row.Values[column];
        if (v is null)
        {
            if (required)
            {
                Error(column, "a value is required");
            }

            return null;
        }

        var normalised = v.Contains('.', StringComparison.Ordinal) ? v : v.Replace(',', '.');
        if (!decimal.TryParse(normalised, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
        {
            Error(column, $"'{v}' is not a number");
            return null;
        }

        if (d < min || d > max)
        {
            Error(column, d < 0 ? $"negative {what} {v} is not allowed" : $"{what} {v} is outside {min}–{max}");
            return null;
        }

        return d;
    }

    public bool? Bool(int column)
    {
        var v = _row.Values[column];
        if (v is null)
        {
            return null;
        }

        if (v.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (v.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Error(column, $"'{v}' must be true, false or empty");
        return null;
    }

    public DateOnly? Date(int column)
    {
        var v = _row.Values[column];
        if (v is null)
        {
            Error(column, "a date is required");
            return null;
        }

        if (!DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            Error(column, $"'{v}' is not a date (YYYY-MM-DD)");
            return null;
        }

        return d;
    }

    public (int Year, int Month)? Month(int column)
    {
        var v = _row.Values[column];
        if (v is null)
        {
            Error(column, "a month is required");
            return null;
        }

        if (!DateOnly.TryParseExact(v + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) || v.Length != 7)
        {
            Error(column, $"'{v}' is not a month (YYYY-MM)");
            return null;
        }

        return (d.Year, d.Month);
    }
}
