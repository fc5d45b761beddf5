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
        var json = format == TextFormat.Json || (format == TextFormat.Auto && LooksLikeJson(text));
        IEnumerable<RawRow> rows = json
            ? JsonRecordReader.Read(text, spec.Columns, errors)
            : CsvRecordReader.Read(text, spec.Columns, errors);
        var reader = new RowReader(spec.Columns, units, errors);
        var result = new List<Parsed<T>>();
        var count = 0;
        foreach (var raw in rows)
        {
            count++;
            reader.Reset(raw);
            if (spec.Map(reader) is { } record)
            {
                result.Add(new Parsed<T>(raw.Line, record));
            }
        }

        return new ParseOutcome<T>(result, count);
    }

    private static bool LooksLikeJson(string text)
    {
        var first = text.AsSpan().TrimStart();
        return first.Length > 0 && first[0] is '[' or '{';
    }
}
