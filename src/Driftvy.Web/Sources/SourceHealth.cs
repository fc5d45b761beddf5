using System.Collections.Concurrent;

namespace Driftvy.Web.Sources;

/// <summary>How one source is doing: last successful poll, last error, rows accepted.</summary>
public sealed record SourceStatus(
    string Source,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastErrorAt,
    string? LastError,
    long RowsAcceptedTotal,
    long Polls);

/// <summary>Process-wide record of each source's polls, for the health endpoint and the screens.</summary>
public sealed class SourceHealth
{
    private readonly ConcurrentDictionary<string, SourceStatus> _sources = new(StringComparer.Ordinal);

    public void RecordSuccess(string source, DateTimeOffset at, int rowsAccepted) =>
        _sources.AddOrUpdate(
            source,
            _ => new SourceStatus(source, at, null, null, rowsAccepted, 1),
            (_, s) => s with { LastSuccessAt = at, RowsAcceptedTotal = s.RowsAcceptedTotal + rowsAccepted, Polls = s.Polls + 1 });

    public void RecordFailure(string source, DateTimeOffset at, string error) =>
        _sources.AddOrUpdate(
            source,
            _ => new SourceStatus(source, null, at, error, 0, 1),
            (_, s) => s with { LastErrorAt = at, LastError = error, Polls = s.Polls + 1 });

    public IReadOnlyList<SourceStatus> All() => _sources.Values.OrderBy(s => s.Source, StringComparer.Ordinal).ToList();

    public SourceStatus? Get(string source) => _sources.TryGetValue(source, out var s) ? s : null;
}
