namespace Driftvy.Web.Sources.Ingestion;

/// <summary>
/// Why a row or a file was refused: the 1-based line (0 for the file as a whole), the column (null when
/// no single column is at fault) and a reason a person at the source can act on.
/// </summary>
public sealed record IngestError(int Line, string? Column, string Reason)
{
    public override string ToString() =>
        (Line, Column) switch
        {
            (0, null) => $"file: {Reason}",
            (0, { } c) => $"column {c}: {Reason}",
            (_, null) => $"line {Line}: {Reason}",
            _ => $"line {Line}, column {Column}: {Reason}",
        };
}
