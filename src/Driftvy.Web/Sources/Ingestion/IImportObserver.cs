namespace Driftvy.Web.Sources.Ingestion;

/// <summary>Told how every import ended (committed or rejected), whichever way it came in.</summary>
public interface IImportObserver
{
    Task ImportFinishedAsync(ImportRequest request, ImportResult result, CancellationToken cancellationToken);
}
