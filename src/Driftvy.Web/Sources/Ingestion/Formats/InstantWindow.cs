using System.Globalization;

namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary>
/// The instants an import accepts: from <c>Ingestion:EarliestAccepted</c> to <c>Ingestion:MaxFuture</c> past the
/// host's clock at the import. A parser accepts 0001-01-01 and 9999-12-31, but nothing downstream can fold, bucket
/// or show them (a day bucket after 9999-12-31 does not exist); one such row refused with its line and column
/// costs the sender a correction, one such row stored stopped every screen.
/// </summary>
internal sealed record InstantWindow(DateTimeOffset Earliest, DateTimeOffset Latest, TimeSpan MaxFuture)
{
    public static InstantWindow From(IngestionOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.EarliestAccepted, now + options.MaxFuture, options.MaxFuture);
    }

    /// <summary>Why <paramref name="instant"/> is refused, or null when it is inside the window.</summary>
    public string? Problem(DateTimeOffset instant, string written) =>
        instant < Earliest
            ? $"'{written}' is before {Earliest.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}, the earliest accepted instant (Ingestion:EarliestAccepted)"
            : instant > Latest
                ? $"'{written}' is more than {MaxFuture.ToString("c", CultureInfo.InvariantCulture)} ahead of now (Ingestion:MaxFuture)"
                : null;
}
