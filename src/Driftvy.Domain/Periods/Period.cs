using System.Globalization;
using Driftvy.Domain.Calendar;

namespace Driftvy.Domain.Periods;

public enum PeriodKind
{
    Day,
    IsoWeek,
    Month,
    Tertial,
    Year,

    /// <summary>From 1 January up to and including a given day or tertial end (T1 = jan–apr, T2 = jan–aug, VB = jan–dec).</summary>
    YearToDate,
}

/// <summary>Whether a value covers only its own span or accumulates from the start of the year.</summary>
public enum Accumulation
{
    PerPeriod,
    Cumulative,
}

/// <summary>A UTC half-open instant range [Start, End).</summary>
public readonly record struct InstantRange(DateTimeOffset Start, DateTimeOffset End)
{
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    public TimeSpan Length => End - Start;
}

/// <summary>
/// A reporting period of Stockholm calendar days [Start, End). Tertials follow the city's reports:
/// T1 = January–April, T2 = May–August, T3 = September–December; the year-to-date forms used at the
/// tertial reports are T1 = jan–apr, T2 = jan–aug and VB (the annual report) = jan–dec.
/// </summary>
public sealed record Period
{
    private static readonly string[] SvMonths =
        ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

    private Period(PeriodKind kind, int year, int number, DateOnly start, DateOnly end, string id, string label)
    {
        Kind = kind;
        Year = year;
        Number = number;
        Start = start;
        End = end;
        Id = id;
        Label = label;
    }

    public PeriodKind Kind { get; }

    /// <summary>The calendar year; for ISO weeks, the ISO week-numbering year.</summary>
    public int Year { get; }

    /// <summary>Day of year, week, month or tertial number; for year-to-date the tertial reached (0 if it ends on an arbitrary day).</summary>
    public int Number { get; }

    /// <summary>First day, inclusive.</summary>
    public DateOnly Start { get; }

    /// <summary>Day after the last day (exclusive).</summary>
    public DateOnly End { get; }

    /// <summary>Stable machine form, e.g. <c>2026-T2</c>, <c>2026-T2-ytd</c>, <c>2026-W05</c>, <c>2026-03</c>, <c>2026-03-15</c>.</summary>
    public string Id { get; }

    /// <summary>Swedish display label that says whether the value is per period or accumulated.</summary>
    public string Label { get; }

    public Accumulation Accumulation => Kind == PeriodKind.YearToDate ? Accumulation.Cumulative : Accumulation.PerPeriod;

    public DateOnly LastDay => End.AddDays(-1);

    public int DayCount => End.DayNumber - Start.DayNumber;

    /// <summary>The UTC range of the period, from Stockholm local midnight to local midnight (23- and 25-hour days included).</summary>
    public InstantRange UtcRange => new(StockholmTime.StartOfDayUtc(Start), StockholmTime.StartOfDayUtc(End));

    public bool Contains(DateOnly date) => date >= Start && date < End;

    /// <summary>Whether an instant falls in the period, judged by its Stockholm local date.</summary>
    public bool Contains(DateTimeOffset instant) => Contains(StockholmTime.LocalDate(instant));

    public static Period Day(DateOnly date) =>
        new(PeriodKind.Day, date.Year, date.DayOfYear, date, date.AddDays(1),
            date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static Period IsoWeek(int weekYear, int week)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(week, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(week, ISOWeek.GetWeeksInYear(weekYear));
        var monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(weekYear, week, DayOfWeek.Monday));
        var id = string.Create(CultureInfo.InvariantCulture, $"{weekYear}-W{week:00}");
        return new(PeriodKind.IsoWeek, weekYear, week, monday, monday.AddDays(7), id,
            string.Create(CultureInfo.InvariantCulture, $"vecka {week} {weekYear}"));
    }

    public static Period IsoWeekOf(DateOnly date)
    {
        var dt = date.ToDateTime(TimeOnly.MinValue);
        return IsoWeek(ISOWeek.GetYear(dt), ISOWeek.GetWeekOfYear(dt));
    }

    public static Period Month(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        var start = new DateOnly(year, month, 1);
        return new(PeriodKind.Month, year, month, start, start.AddMonths(1),
            string.Create(CultureInfo.InvariantCulture, $"{year}-{month:00}"),
            string.Create(CultureInfo.InvariantCulture, $"{SvMonths[month - 1]} {year}"));
    }

    /// <summary>One tertial on its own: T1 = jan–apr, T2 = maj–aug, T3 = sep–dec.</summary>
    public static Period Tertial(int year, int tertial)
    {
        CheckTertial(tertial);
        var start = new DateOnly(year, ((tertial - 1) * 4) + 1, 1);
        var end = start.AddMonths(4);
        return new(PeriodKind.Tertial, year, tertial, start, end,
            string.Create(CultureInfo.InvariantCulture, $"{year}-T{tertial}"),
            string.Create(CultureInfo.InvariantCulture,
                $"T{tertial} {year} ({SvMonths[start.Month - 1]}–{SvMonths[end.AddDays(-1).Month - 1]}, endast tertialen)"));
    }

    public static Period FullYear(int year) =>
        new(PeriodKind.Year, year, 1, new DateOnly(year, 1, 1), new DateOnly(year + 1, 1, 1),
            year.ToString(CultureInfo.InvariantCulture), year.ToString(CultureInfo.InvariantCulture));

    /// <summary>Year to date as the tertial report uses it: T1 = jan–apr, T2 = jan–aug, 3 (VB) = jan–dec.</summary>
    public static Period YearToDateAtTertial(int year, int tertial)
    {
        CheckTertial(tertial);
        var end = new DateOnly(year, 1, 1).AddMonths(tertial * 4);
        var name = tertial == 3 ? "VB" : string.Create(CultureInfo.InvariantCulture, $"T{tertial}");
        return new(PeriodKind.YearToDate, year, tertial, new DateOnly(year, 1, 1), end,
            string.Create(CultureInfo.InvariantCulture, $"{year}-T{tertial}-ytd"),
            string.Create(CultureInfo.InvariantCulture,
                $"{name} {year} (jan–{SvMonths[end.AddDays(-1).Month - 1]}, ackumulerat)"));
    }

    /// <summary>From 1 January to <paramref name="throughInclusive"/>.</summary>
    public static Period YearToDate(DateOnly throughInclusive)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{throughInclusive:yyyy-MM-dd}-ytd");
        return new(PeriodKind.YearToDate, throughInclusive.Year, 0, new DateOnly(throughInclusive.Year, 1, 1),
            throughInclusive.AddDays(1), id,
            string.Create(CultureInfo.InvariantCulture, $"1 jan–{throughInclusive:yyyy-MM-dd} (ackumulerat)"));
    }

    /// <summary>
    /// The period cut at <paramref name="throughInclusive"/> ("to date": the week or month so far), or the
    /// period itself when it ends before. Per-FTE figures then count only the FTE of the days covered, so
    /// a month-to-date rate is not understated by the FTE of days still to come. Not parseable: an Id
    /// with the suffix <c>-to-yyyy-MM-dd</c> names it for display and provenance only.
    /// </summary>
    public Period Through(DateOnly throughInclusive)
    {
        if (throughInclusive < Start)
        {
            throw new ArgumentOutOfRangeException(nameof(throughInclusive), throughInclusive, $"before the period {Id} starts");
        }

        if (throughInclusive >= LastDay)
        {
            return this;
        }

        return new Period(Kind, Year, Number, Start, throughInclusive.AddDays(1),
            string.Create(CultureInfo.InvariantCulture, $"{Id}-to-{throughInclusive:yyyy-MM-dd}"),
            string.Create(CultureInfo.InvariantCulture, $"{Label}, t.o.m. {throughInclusive:yyyy-MM-dd}"));
    }

    /// <summary>The cumulative counterpart of a tertial (T2 → jan–aug); other kinds are returned unchanged.</summary>
    public Period ToYearToDate() => Kind == PeriodKind.Tertial ? YearToDateAtTertial(Year, Number) : this;

    /// <summary>The same period one year earlier (for comparisons and forecasts).</summary>
    public Period PreviousYear() => Kind switch
    {
        PeriodKind.Day => Day(Start.AddYears(-1)),
        PeriodKind.IsoWeek => IsoWeek(Year - 1, Math.Min(Number, ISOWeek.GetWeeksInYear(Year - 1))),
        PeriodKind.Month => Month(Year - 1, Number),
        PeriodKind.Tertial => Tertial(Year - 1, Number),
        PeriodKind.Year => FullYear(Year - 1),
        _ => Number > 0 ? YearToDateAtTertial(Year - 1, Number) : YearToDate(LastDay.AddYears(-1)),
    };

    /// <summary>
    /// Calendar months the period touches, with the share of each month's days it covers (1 for whole months).
    /// </summary>
    public IReadOnlyList<MonthShare> Months()
    {
        var result = new List<MonthShare>();
        var cursor = new DateOnly(Start.Year, Start.Month, 1);
        while (cursor < End)
        {
            var next = cursor.AddMonths(1);
            var from = cursor > Start ? cursor : Start;
            var to = next < End ? next : End;
            var covered = to.DayNumber - from.DayNumber;
            var days = next.DayNumber - cursor.DayNumber;
            result.Add(new MonthShare(cursor.Year, cursor.Month, (double)covered / days));
            cursor = next;
        }

        return result;
    }

    /// <summary>Parses the forms <see cref="Id"/> produces.</summary>
    public static Period Parse(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var s = id.Trim();
        var inv = CultureInfo.InvariantCulture;
        if (s.EndsWith("-ytd", StringComparison.OrdinalIgnoreCase))
        {
            var core = s[..^4];
            if (core.Length == 7 && (core[5] is 'T' or 't') && int.TryParse(core[..4], NumberStyles.None, inv, out var ty)
                && int.TryParse(core[6..], NumberStyles.None, inv, out var tt))
            {
                return YearToDateAtTertial(ty, tt);
            }

            if (DateOnly.TryParseExact(core, "yyyy-MM-dd", inv, DateTimeStyles.None, out var through))
            {
                return YearToDate(through);
            }
        }
        else if (s.Length == 4 && int.TryParse(s, NumberStyles.None, inv, out var y))
        {
            return FullYear(y);
        }
        else if (s.Length == 7 && int.TryParse(s[..4], NumberStyles.None, inv, out var y2) && s[4] == '-')
        {
            if ((s[5] is 'T' or 't') && int.TryParse(s[6..], NumberStyles.None, inv, out var t))
            {
                return Tertial(y2, t);
            }

            if (int.TryParse(s[5..], NumberStyles.None, inv, out var m))
            {
                return Month(y2, m);
            }
        }
        else if (s.Length == 8 && s[4] == '-' && (s[5] is 'W' or 'w') && int.TryParse(s[..4], NumberStyles.None, inv, out var wy)
                 && int.TryParse(s[6..], NumberStyles.None, inv, out var w))
        {
            return IsoWeek(wy, w);
        }
        else if (DateOnly.TryParseExact(s, "yyyy-MM-dd", inv, DateTimeStyles.None, out var day))
        {
            return Day(day);
        }

        throw new FormatException(
            $"'{id}' is not a period: use 2026, 2026-T2, 2026-T2-ytd, 2026-03, 2026-W05, 2026-03-15 or 2026-03-15-ytd.");
    }

    public override string ToString() => Id;

    private static void CheckTertial(int tertial)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tertial, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tertial, 3);
    }
}

/// <summary>A calendar month and the share (0–1] of its days a period covers.</summary>
public readonly record struct MonthShare(int Year, int Month, double Share);
