using System.Collections.Concurrent;

namespace Driftvy.Web.Sources;

/// <summary>How one source is doing: last successful poll, last error, rows accepted.</summary>
public sealed record SourceStatus(
    string Source,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastErrorAt,
    string? LastError,
    long RowsAcceptedTotal,
    long Polls)
{
    /// <summary>How the source delivers: <c>poll</c> (telephony), <c>drop-folder</c>, <c>push</c>, <c>http-poll</c>.</summary>
    public string Channel { get; init; } = "poll";

    /// <summary>The Stockholm day the <c>…Today</c> counters belong to.</summary>
    public DateOnly? Day { get; init; }

    public long RowsAcceptedToday { get; init; }

    public long RowsRejectedToday { get; init; }

    public long RowsRejectedTotal { get; init; }

    /// <summary>The newest record timestamp the source has delivered (offered_at, at, opened_at …): lag = now − this.</summary>
    public DateTimeOffset? LatestRecordAt { get; init; }

    /// <summary>The source's own silence limit (an HTTP poller: three of its intervals); <see cref="SourceCadence"/> decides, settings first.</summary>
    public TimeSpan? StaleAfter { get; init; }

    /// <summary>The counters as seen on <paramref name="today"/>: zero when they belong to an earlier day.</summary>
    public SourceStatus On(DateOnly today) => Day == today ? this : this with { Day = today, RowsAcceptedToday = 0, RowsRejectedToday = 0 };
}

/// <summary>Process-wide record of each source's polls, for the health endpoint and the screens.</summary>
public sealed class SourceHealth
{
    private readonly ConcurrentDictionary<string, SourceStatus> _sources = new(StringComparer.Ordinal);

    public void RecordSuccess(string source, DateTimeOffset at, int rowsAccepted)
    {
        var day = Domain.Calendar.StockholmTime.LocalDate(at);
        _sources.AddOrUpdate(
            source,
            _ => new SourceStatus(source, at, null, null, rowsAccepted, 1) { Day = day, RowsAcceptedToday = rowsAccepted },
            (_, s) => s.On(day) is var t
                ? t with { LastSuccessAt = at, RowsAcceptedTotal = s.RowsAcceptedTotal + rowsAccepted, Polls = s.Polls + 1, RowsAcceptedToday = t.RowsAcceptedToday + rowsAccepted }
                : s);
    }

    /// <summary>Declares a source before its first report, so health lists it (and calls it stale) from the start.</summary>
    public void Expect(string source, string channel, TimeSpan? staleAfter) =>
        _sources.AddOrUpdate(
            source,
            _ => new SourceStatus(source, null, null, null, 0, 0) { Channel = channel, StaleAfter = staleAfter },
            (_, s) => s with { Channel = channel, StaleAfter = staleAfter });

    /// <summary>
    /// Records one import (a file, a push request, a poll): accepted rows on success; on refusal the error and
    /// the rows refused. Counters per Stockholm day are kept alongside the totals.
    /// </summary>
    public void RecordIngest(string source, string channel, DateTimeOffset at, int accepted, int rejected, DateTimeOffset? latestRecordAt, string? error)
    {
        error = Health.HealthText.Bound(error);
        var day = Domain.Calendar.StockholmTime.LocalDate(at);
        _sources.AddOrUpdate(
            source,
            _ => Apply(new SourceStatus(source, null, null, null, 0, 0) { Channel = channel }),
            (_, s) => Apply(s));

        SourceStatus Apply(SourceStatus s)
        {
            s = s.On(day) with
            {
                Channel = channel,
                Polls = s.Polls + 1,
                RowsAcceptedTotal = s.RowsAcceptedTotal + accepted,
                RowsRejectedTotal = s.RowsRejectedTotal + rejected,
                LatestRecordAt = latestRecordAt > s.LatestRecordAt || s.LatestRecordAt is null ? latestRecordAt ?? s.LatestRecordAt : s.LatestRecordAt,
            };
            s = s with { RowsAcceptedToday = s.RowsAcceptedToday + accepted, RowsRejectedToday = s.RowsRejectedToday + rejected };
            return error is null ? s with { LastSuccessAt = at } : s with { LastErrorAt = at, LastError = error };
        }
    }

    public void RecordFailure(string source, DateTimeOffset at, string error) => RecordFailureBounded(source, at, Health.HealthText.Bound(error)!);

    private void RecordFailureBounded(string source, DateTimeOffset at, string error) =>
        _sources.AddOrUpdate(
            source,
            _ => new SourceStatus(source, null, at, error, 0, 1),
            (_, s) => s with { LastErrorAt = at, LastError = error, Polls = s.Polls + 1 });

    /// <summary>
    /// Takes over what another instance saw of <paramref name="source"/> (see <c>Cluster/SourceStatusExchange</c>): the
    /// newer delivery, error and record time win; this instance's counters stay its own.
    /// </summary>
    public void TakeShared(string source, string channel, DateTimeOffset? lastSuccessAt, DateTimeOffset? lastErrorAt, string? lastError, DateTimeOffset? latestRecordAt)
    {
        static DateTimeOffset? Newer(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
        _sources.AddOrUpdate(
            source,
            _ => new SourceStatus(source, lastSuccessAt, lastErrorAt, lastError, 0, 0) { Channel = channel, LatestRecordAt = latestRecordAt },
            (_, s) => s with
            {
                LastSuccessAt = Newer(s.LastSuccessAt, lastSuccessAt),
                LastErrorAt = Newer(s.LastErrorAt, lastErrorAt),
                LastError = lastErrorAt > s.LastErrorAt || s.LastErrorAt is null ? lastError ?? s.LastError : s.LastError,
                LatestRecordAt = Newer(s.LatestRecordAt, latestRecordAt),
            });
    }

    public IReadOnlyList<SourceStatus> All() => _sources.Values.OrderBy(s => s.Source, StringComparer.Ordinal).ToList();

    public SourceStatus? Get(string source) => _sources.TryGetValue(source, out var s) ? s : null;
}
