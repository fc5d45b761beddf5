namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary>
/// The shape exports nearly always use, <c>2026-11-23T08:15:00+01:00</c> or <c>…Z</c>, read without the
/// general parser: at a million rows with three instants each, <see cref="DateTimeOffset.TryParse(string, IFormatProvider, System.Globalization.DateTimeStyles, out DateTimeOffset)"/>
/// is a quarter of the parse time. Anything else (another shape, or a value this reader is not certain of)
/// returns false and is left to the general parser, which then decides alone.
/// </summary>
internal static class IsoInstant
{
    public static bool TryParseCanonical(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length is not (20 or 25) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }

        if (year is < 1900 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        TimeSpan offset;
        if (s.Length == 20)
        {
            if (s[19] != 'Z')
            {
                return false;
            }

            offset = TimeSpan.Zero;
        }
        else
        {
            if (s[19] is not ('+' or '-') || s[22] != ':' || !Digits(s, 20, 2, out var oh) || !Digits(s, 23, 2, out var om) || oh > 13 || om > 59)
            {
                return false;
            }

            offset = new TimeSpan(oh, om, 0);
            if (s[19] == '-')
            {
                offset = -offset;
            }
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, offset);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }
}
