using System.Data;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.History;

/// <summary>One queue's contacts on one Stockholm day, as durably tallied.</summary>
public sealed record DayTally(string Queue, DateOnly Date, ContactTally Tally);

/// <summary>One channel's contacts of a queue on one Stockholm day, as durably tallied.</summary>
public sealed record ChannelDayTally(string Queue, Channel Channel, DateOnly Date, ContactTally Tally);

/// <summary>
/// The one way to look back at contacts: durable day tallies, the same from the host and the command line, whatever
/// was restarted, flushed or pruned in between.
/// </summary>
public interface IContactHistory
{
    /// <summary>Every queue's day tallies for the Stockholm days in [from, toExclusive), ordered by queue and day.</summary>
    Task<IReadOnlyList<DayTally>> ReadDaysAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken);

    /// <summary>One queue's quarter-hour tallies (start instant → tally) over the Stockholm days in [from, toExclusive).</summary>
    Task<IReadOnlyDictionary<DateTimeOffset, ContactTally>> ReadQuartersAsync(string queue, DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken);

    /// <summary>The first Stockholm day with a stored contact, or null when none is stored.</summary>
    Task<DateOnly?> FirstDayAsync(CancellationToken cancellationToken);

    /// <summary>Every queue's day tallies per channel for the Stockholm days in [from, toExclusive), ordered by queue, channel and day.</summary>
    Task<IReadOnlyList<ChannelDayTally>> ReadChannelDaysAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken);
}

internal sealed class ContactHistory(IDbContextFactory<DriftvyDbContext> contexts) : IContactHistory
{
    public async Task<IReadOnlyList<DayTally>> ReadDaysAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken) =>
        [.. (await ReadSpanDaysAsync(TallySpan.Day, from, toExclusive, cancellationToken).ConfigureAwait(false))
            .Where(d => !d.Tally.IsEmpty).Select(d => new DayTally(d.Key, d.Date, d.Tally))];

    public async Task<IReadOnlyDictionary<DateTimeOffset, ContactTally>> ReadQuartersAsync(string queue, DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = DbCommands.Create(connection, null,
            "SELECT start_ms, tally FROM contact_tallies WHERE span = @span AND queue = @queue AND start_ms >= @from AND start_ms < @to ORDER BY start_ms",
            ("@span", DbType.Int32), ("@queue", DbType.String), ("@from", DbType.Int64), ("@to", DbType.Int64));
        cmd.Parameters[0].Value = (int)TallySpan.Quarter;
        cmd.Parameters[1].Value = queue;
        cmd.Parameters[2].Value = StockholmTime.StartOfDayUtc(from).ToUnixTimeMilliseconds();
        cmd.Parameters[3].Value = StockholmTime.StartOfDayUtc(toExclusive).ToUnixTimeMilliseconds();
        var quarters = new Dictionary<DateTimeOffset, ContactTally>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            quarters[DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0))] = ContactTallyCodec.Decode((byte[])reader.GetValue(1));
        }

        return quarters;
    }

    public async Task<IReadOnlyList<ChannelDayTally>> ReadChannelDaysAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken) =>
        [.. (await ReadSpanDaysAsync(TallySpan.ChannelDay, from, toExclusive, cancellationToken).ConfigureAwait(false)).Select(d =>
        {
            var (queue, channel) = ContactTallies.SplitChannelKey(d.Key);
            return new ChannelDayTally(queue, channel, d.Date, d.Tally);
        })];

    /// <summary>The rows of one day-long span over the Stockholm days in [from, toExclusive), ordered by key and day.</summary>
    private async Task<List<(string Key, DateOnly Date, ContactTally Tally)>> ReadSpanDaysAsync(
        TallySpan span, DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = DbCommands.Create(connection, null,
            "SELECT queue, start_ms, tally FROM contact_tallies WHERE span = @span AND start_ms >= @from AND start_ms < @to ORDER BY queue, start_ms",
            ("@span", DbType.Int32), ("@from", DbType.Int64), ("@to", DbType.Int64));
        cmd.Parameters[0].Value = (int)span;
        cmd.Parameters[1].Value = StockholmTime.StartOfDayUtc(from).ToUnixTimeMilliseconds();
        cmd.Parameters[2].Value = StockholmTime.StartOfDayUtc(toExclusive).ToUnixTimeMilliseconds();
        var days = new List<(string, DateOnly, ContactTally)>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            days.Add((reader.GetString(0), StockholmTime.LocalDate(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))), ContactTallyCodec.Decode((byte[])reader.GetValue(2))));
        }

        return days;
    }

    public async Task<DateOnly?> FirstDayAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var first = await db.ContactTallies.Where(t => t.Span == TallySpan.Day).MinAsync(t => (long?)t.StartMs, cancellationToken).ConfigureAwait(false);
        return first is { } ms ? StockholmTime.LocalDate(DateTimeOffset.FromUnixTimeMilliseconds(ms)) : null;
    }
}
