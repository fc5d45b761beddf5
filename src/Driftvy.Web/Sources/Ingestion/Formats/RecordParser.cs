namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary>A typed record and the line it came from (for messages about it later, e.g. duplicates).</summary>
internal readonly record struct Parsed<T>(int Line, T Record);

/// <summary>The good rows of a file and how many data rows it had in all.</summary>
internal sealed record ParseOutcome<T>(List<Parsed<T>> Records, int Rows);

/// <summary>Text (CSV or JSON) → typed rows of one format, or the complete list of what is wrong.</summary>
internal static class RecordParser
{
    public static ParseOutcome<T> Parse<T>(string text, TextFormat format, IRecordFormat<T> spec, UnitDirectory units, List<IngestError> errors)
        where T : class
    {
        var result = new List<Parsed<T>>();
        var count = 0;
        foreach (var row in Rows(text, format, spec, units, errors))
        {
            count++;
            if (row is { } good)
            {
                result.Add(good);
            }
        }

        return new ParseOutcome<T>(result, count);
    }

    /// <summary>
    /// The same, one data row at a time (null for a row with errors, which are added to <paramref name="errors"/>),
    /// so a large file can be stored while the rest of it is still being read.
    /// </summary>
    public static IEnumerable<Parsed<T>?> Rows<T>(string text, TextFormat format, IRecordFormat<T> spec, UnitDirectory units, List<IngestError> errors)
        where T : class
    {
        var json = format == TextFormat.Json || (format == TextFormat.Auto && LooksLikeJson(text));
        IEnumerable<RawRow> rows = json
            ? JsonRecordReader.Read(text, spec.Columns, errors)
            : CsvRecordReader.Read(text, spec.Columns, errors);
        var reader = new RowReader(spec.Columns, units, errors);
        foreach (var raw in rows)
        {
            reader.Reset(raw);
            yield return spec.Map(reader) is { } record ? new Parsed<T>(raw.Line, record) : null;
        }
    }

    private static bool LooksLikeJson(string text)
    {
        var first = text.AsSpan().TrimStart();
        return first.Length > 0 && first[0] is '[' or '{';
    }
}
