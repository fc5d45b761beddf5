namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary>
/// A column of a canonical format. An optional column may be left out of the header. A <paramref name="TextOnly"/>
/// column (an id) must be a string in JSON: a number would lose its leading zeros or its digits past 2^53 in the
/// sender's own tools, so <c>"contact_id": 0012</c> or <c>12345678901234567890</c> is refused rather than guessed at.
/// </summary>
internal sealed record ColumnSpec(string Name, bool Optional = false, bool TextOnly = false);

/// <summary>One data row as read from CSV or JSON: values aligned with the format's columns (null = absent or empty).</summary>
internal readonly record struct RawRow(int Line, string?[] Values);

/// <summary>A canonical record format: its columns and how one row maps to a typed record (or errors).</summary>
internal interface IRecordFormat<T>
{
    IngestKind Kind { get; }

    IReadOnlyList<ColumnSpec> Columns { get; }

    /// <summary>The typed record, or null when the row has errors (added to <see cref="RowReader.Errors"/>).</summary>
    T? Map(RowReader row);
}
