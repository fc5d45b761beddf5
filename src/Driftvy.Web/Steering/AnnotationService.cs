using System.Data;
using System.Data.Common;
using Driftvy.Domain.Calendar;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Kpis;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Steering;

/// <summary>A note to add.</summary>
/// <param name="Subject">Queue or team id the note concerns; empty for everyone.</param>
/// <param name="Start">When the event began (a date-only note: local midnight).</param>
/// <param name="End">When it ended; null for a moment or an open-ended note.</param>
/// <param name="Text">The note, at most 500 characters.</param>
public sealed record NewAnnotation(string? Subject, DateTimeOffset Start, DateTimeOffset? End, string Text);

/// <summary>
/// Notes that team leaders put on a day or a time span. Screens ask for today's notes on every push, so the
/// notes of the day asked for last are kept in memory and dropped whenever a note is added.
/// </summary>
public sealed class AnnotationService(IDbContextFactory<DriftvyDbContext> contexts, KpiSetup kpis, TimeProvider time)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(30);
    private readonly Lock _cacheLock = new();
    private (DateOnly Day, DateTimeOffset At, IReadOnlyList<AnnotationView> Notes)? _today;

    public async Task<AnnotationView> AddAsync(NewAnnotation note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        var text = note.Text?.Trim() ?? string.Empty;
        if (text.Length is 0 or > 500)
        {
            throw new ArgumentException("The note must have 1–500 characters.", nameof(note));
        }

        if (note.End is { } end && end < note.Start)
        {
            throw new ArgumentException("The end is before the start.", nameof(note));
        }

        var subject = string.IsNullOrWhiteSpace(note.Subject) ? null : note.Subject.Trim();
        if (subject is not null && kpis.Organisation.Queue(subject) is null && kpis.Organisation.Team(subject) is null)
        {
            throw new ArgumentException($"'{subject}' is neither a queue nor a team.", nameof(note));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO annotations (subject, starts_at_ms, ends_at_ms, text, created_at_ms) VALUES (@subject, @start, @end, @text, @created) RETURNING id";
        Add(cmd, "@subject", DbType.String, subject);
        Add(cmd, "@start", DbType.Int64, note.Start.ToUnixTimeMilliseconds());
        Add(cmd, "@end", DbType.Int64, note.End?.ToUnixTimeMilliseconds());
        Add(cmd, "@text", DbType.String, text);
        Add(cmd, "@created", DbType.Int64, time.GetUtcNow().ToUnixTimeMilliseconds());
        var id = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        lock (_cacheLock)
        {
            _today = null;
        }

        return new AnnotationView(id, subject, Truncate(note.Start), note.End is { } e ? Truncate(e) : null, text);
    }

    /// <summary>Notes overlapping the Stockholm days [<paramref name="from"/>, <paramref name="toExclusive"/>), optionally for one subject (notes for everyone included).</summary>
    public async Task<IReadOnlyList<AnnotationView>> ListAsync(DateOnly from, DateOnly toExclusive, string? subject, CancellationToken cancellationToken)
    {
        var all = await ReadAsync(from, toExclusive, cancellationToken).ConfigureAwait(false);
        return subject is null ? all : [.. all.Where(a => a.Subject is null || a.Subject == subject)];
    }

    /// <summary>Today's notes (cached briefly, for screens).</summary>
    public async Task<IReadOnlyList<AnnotationView>> TodayAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = StockholmTime.LocalDate(now);
        lock (_cacheLock)
        {
            if (_today is { } c && c.Day == today && now - c.At < KeepFor)
            {
                return c.Notes;
            }
        }

        var notes = await ReadAsync(today, today.AddDays(1), cancellationToken).ConfigureAwait(false);
        lock (_cacheLock)
        {
            _today = (today, now, notes);
        }

        return notes;
    }

    private async Task<IReadOnlyList<AnnotationView>> ReadAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken)
    {
        var fromMs = StockholmTime.StartOfDayUtc(from).ToUnixTimeMilliseconds();
        var toMs = StockholmTime.StartOfDayUtc(toExclusive).ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT id, subject, starts_at_ms, ends_at_ms, text FROM annotations " +
                          "WHERE starts_at_ms < @to AND COALESCE(ends_at_ms, starts_at_ms) >= @from ORDER BY starts_at_ms, id";
        Add(cmd, "@from", DbType.Int64, fromMs);
        Add(cmd, "@to", DbType.Int64, toMs);
        var list = new List<AnnotationView>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new AnnotationView(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.GetString(4)));
        }

        return list;
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    private static void Add(DbCommand cmd, string name, DbType type, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.DbType = type;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }
}
