namespace Driftvy.Domain.Kpis;

/// <summary>A seed or catalogue file that cannot be used; names the file and the field at fault.</summary>
public sealed class CatalogValidationException : Exception
{
    public CatalogValidationException()
        : this("(unknown)", "$", "invalid catalogue")
    {
    }

    public CatalogValidationException(string message)
        : this("(unknown)", "$", message)
    {
    }

    public CatalogValidationException(string message, Exception innerException)
        : this("(unknown)", "$", message, innerException)
    {
    }

    public CatalogValidationException(string file, string field, string problem, Exception? innerException = null)
        : base($"{file}: {field}: {problem}", innerException)
    {
        File = file;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file (or source name) being loaded, e.g. <c>kpis.json</c>.</summary>
    public string File { get; }

    /// <summary>JSON path of the offending field, e.g. <c>$.kpis[2].versions[0].unit</c>.</summary>
    public string Field { get; }

    public string Problem { get; }
}
