using System.Globalization;
using System.Net;
using System.Text;
using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Web.Charts;
using Driftvy.Web.History;
using Driftvy.Web.Kpis;
using Driftvy.Web.Steering;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Driftvy.Web.Reports.Digest;

/// <summary>A picture in the digest, shown inline by its Content-ID.</summary>
internal sealed record DigestPicture(string ContentId, string Title, byte[] Png);

/// <summary>One queue or team in the digest: its figures for the day against target, and its picture.</summary>
internal sealed record DigestSection(string Id, string Name, IReadOnlyList<DigestFigure> Figures, DigestPicture? Picture);

/// <summary>One measure of the day: its value, the day's target and the status (as on the wall screen).</summary>
internal sealed record DigestFigure(string Name, string Unit, double? Value, double? Target, string Status);

/// <summary>The digest of one day, ready to be sent or saved.</summary>
internal sealed record DigestDocument(DateOnly Day, string Subject, IReadOnlyList<DigestSection> Queues, IReadOnlyList<DigestSection> Teams)
{
    public IEnumerable<DigestPicture> Pictures => Queues.Concat(Teams).Select(s => s.Picture).OfType<DigestPicture>();
}

/// <summary>
/// The morning steering digest: the previous working day per queue and team against target, in Swedish, with a
/// picture of each queue's day by quarter hour and each team's volume per FTE by month. The figures are the steering
/// view's "yesterday" column (the same KPI engine, targets and durable tallies), so the mail and the page agree.
/// </summary>
internal sealed class DigestService(SteeringService steering, IContactHistory history, IBackOfficeFacts backOffice, KpiSetup kpis, IOptions<DigestOptions> options)
{
    private static readonly CultureInfo Sv = CultureInfo.GetCultureInfo("sv-SE");

    /// <summary>
    /// The day a digest sent on <paramref name="sendDay"/> covers: the working day before it (Monday's covers Friday,
    /// the day after a holiday the last working day before it).
    /// </summary>
    public static DateOnly CoveredDay(DateOnly sendDay, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var day = sendDay.AddDays(-1);
        for (var i = 0; i < 14 && !calendar.IsWorkingDay(day); i++)
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    public async Task<DigestDocument> BuildAsync(DateOnly day, CancellationToken cancellationToken)
    {
        // The steering view of the next day has this day as its "yesterday".
        var view = await steering.BuildAsync(day.AddDays(1), cancellationToken).ConfigureAwait(false);
        var o = options.Value;
        var queues = new List<DigestSection>();
        foreach (var row in view.Queues.Where(r => o.Queues.Count == 0 || o.Queues.Contains(r.Id)))
        {
            var figures = Figures(row);
            queues.Add(new DigestSection(row.Id, row.Name, figures, await QueuePictureAsync(row, day, cancellationToken).ConfigureAwait(false)));
        }

        var teams = new List<DigestSection>();
        foreach (var row in view.Teams.Where(r => o.Teams.Count == 0 || o.Teams.Contains(r.Id)))
        {
            teams.Add(new DigestSection(row.Id, row.Name, Figures(row), await TeamPictureAsync(row, day, cancellationToken).ConfigureAwait(false)));
        }

        var subject = $"Driftvy: styrning {Weekday(day)} {day.Day} {ChartStyle.Months[day.Month - 1]} {day.Year} mot mål";
        return new DigestDocument(day, subject, queues, teams);
    }

    /// <summary>The digest as an e-mail: the text, and an HTML part showing every picture inline (multipart/related).</summary>
    public static MimeMessage ToMessage(DigestDocument digest, MailboxAddress from, IEnumerable<MailboxAddress> to)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var message = new MimeMessage { Subject = digest.Subject };
        message.From.Add(from);
        message.To.AddRange(to);
        message.MessageId = string.Create(CultureInfo.InvariantCulture, $"digest-{digest.Day:yyyyMMdd}@driftvy");
        message.Headers.Add("X-Driftvy-Idempotency-Key", string.Create(CultureInfo.InvariantCulture, $"digest:{digest.Day:yyyy-MM-dd}"));
        var body = new BodyBuilder { TextBody = Text(digest) };
        foreach (var picture in digest.Pictures)
        {
            body.LinkedResources.Add(picture.ContentId.Split('@')[0] + ".png", picture.Png, new ContentType("image", "png")).ContentId = picture.ContentId;
        }

        body.HtmlBody = Html(digest);
        message.Body = body.ToMessageBody();
        return message;
    }

    public static string Text(DigestDocument digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Heading(digest.Day)}\n");
        foreach (var (title, sections) in new[] { ("Köer", digest.Queues), ("Team", digest.Teams) })
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n{title}\n");
            foreach (var s in sections)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\n{s.Name}\n");
                foreach (var f in s.Figures)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"  {f.Name}: {Format(f.Value, f.Unit)}{(f.Target is { } t ? $" (mål {Format(t, f.Unit)})" : "")} – {StatusText(f.Status)}\n");
                }
            }
        }

        return sb.ToString();
    }

    private static string Html(DigestDocument digest)
    {
        var sb = new StringBuilder("<!DOCTYPE html><html lang=\"sv\"><body style=\"font-family:sans-serif\">");
        sb.Append(CultureInfo.InvariantCulture, $"<h1 style=\"font-size:18px\">{WebUtility.HtmlEncode(Heading(digest.Day))}</h1>");
        foreach (var (title, sections) in new[] { ("Köer", digest.Queues), ("Team", digest.Teams) })
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2 style=\"font-size:16px\">{title}</h2>");
            foreach (var s in sections)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<h3 style=\"font-size:14px\">{WebUtility.HtmlEncode(s.Name)}</h3><table style=\"border-collapse:collapse\">");
                sb.Append("<tr><th align=\"left\">Mått</th><th align=\"right\">Utfall</th><th align=\"right\">Mål</th><th align=\"left\">Status</th></tr>");
                foreach (var f in s.Figures)
                {
                    sb.Append(CultureInfo.InvariantCulture,
                        $"<tr><td>{WebUtility.HtmlEncode(f.Name)}</td><td align=\"right\">{WebUtility.HtmlEncode(Format(f.Value, f.Unit))}</td><td align=\"right\">{WebUtility.HtmlEncode(f.Target is { } t ? Format(t, f.Unit) : "–")}</td><td>{StatusText(f.Status)}</td></tr>");
                }

                sb.Append("</table>");
                if (s.Picture is { } p)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"<p><img src=\"cid:{p.ContentId}\" alt=\"{WebUtility.HtmlEncode(p.Title)}\" width=\"640\" style=\"max-width:100%;height:auto\"></p>");
                }
            }
        }

        return sb.Append("</body></html>").ToString();
    }

    private static string Heading(DateOnly day) =>
        $"Styrning: {Weekday(day)} {day.Day} {ChartStyle.Months[day.Month - 1]} {day.Year} mot mål";

    private static string Weekday(DateOnly day) => Sv.DateTimeFormat.GetDayName(day.DayOfWeek);

    private static List<DigestFigure> Figures(SteeringRow row) =>
        [.. row.Measures.Where(m => m.Cells.ContainsKey("yesterday"))
            .Select(m => (m, c: m.Cells["yesterday"]))
            .Select(x => new DigestFigure(x.m.Name, x.m.Unit, x.c.Value, x.c.Target, x.c.Status))];

    internal static string Format(double? value, string unit) => value is not { } v ? "–" : unit switch
    {
        "percent" => ChartStyle.Number(v, ChartUnit.Percent, precise: true),
        "count" => ChartStyle.Number(v, ChartUnit.Count),
        "seconds" => ChartStyle.Number(v, ChartUnit.Seconds),
        "days" => ChartStyle.Number(v, ChartUnit.Days),
        _ => ChartStyle.Number(v, ChartUnit.Decimal, precise: true),
    };

    private static string StatusText(string status) => status switch
    {
        "on-target" => "når målet",
        "near-target" => "nära målet",
        "off-target" => "når inte målet",
        "no-target" => "inget mål",
        _ => "ingen mätning",
    };

    private async Task<DigestPicture?> QueuePictureAsync(SteeringRow row, DateOnly day, CancellationToken cancellationToken)
    {
        var quarters = await history.ReadQuartersAsync(row.Id, day, day.AddDays(1), cancellationToken).ConfigureAwait(false);
        if (quarters.Count == 0)
        {
            return null;
        }

        var slKpi = kpis.Catalog.Kpis.FirstOrDefault(k => k.VersionOn(day) is { Kind: FormulaKind.ServiceLevel } v && v.Population.Queues.Contains(row.Id))?.Id;
        var points = quarters.OrderBy(q => q.Key).Select(q => new QueueQuarter(
            q.Key,
            q.Value.Offered,
            null,
            slKpi is null || q.Value.Offered == 0 ? null : kpis.EvaluateQueue(slKpi, row.Id, Period.Day(day), q.Value).Value.Value)).ToList();
        var target = row.Measures.FirstOrDefault(m => m.Measure == "service_level")?.Cells.GetValueOrDefault("yesterday")?.Target;

        // The opening hours of the day (or the hours with contacts), whole hours.
        var open = kpis.Organisation.Queue(row.Id)?.OpeningHours.On(day, kpis.Calendar) ?? [];
        var busy = points.Where(p => p.Offered > 0).Select(p => ChartStyle.LocalHours(p.Start)).ToList();
        var from = Math.Floor(open.Count > 0 ? open.Min(s => s.Open.ToTimeSpan().TotalHours) : busy.DefaultIfEmpty(8).Min());
        var to = Math.Ceiling(open.Count > 0 ? open.Max(s => s.Close.ToTimeSpan().TotalHours) : busy.DefaultIfEmpty(17).Max() + 0.25);
        var title = $"{row.Name} – {Weekday(day)} {day.Day} {ChartStyle.Months[day.Month - 1]}";
        var picture = QueueDayChart.Render(new QueueDaySeries(ChartRenderer.Slug($"{row.Id}-{day:yyyyMMdd}"), title, points, target, [], from, Math.Max(to, from + 1)));
        return new DigestPicture($"ko-{ChartRenderer.Slug(row.Id)}@driftvy", title, picture.Png);
    }

    private async Task<DigestPicture?> TeamPictureAsync(SteeringRow row, DateOnly day, CancellationToken cancellationToken)
    {
        var measure = row.Measures.FirstOrDefault(m => m.Measure == "volume_per_fte");
        if (measure?.Kpi is not { } kpi)
        {
            return null;
        }

        // The year's months through the covered day, each as the KPI engine computes it (the last one month to date).
        var facts = await backOffice.ReadAsync([row.Id], new DateOnly(day.Year, 1, 1), day.AddDays(1), cancellationToken).ConfigureAwait(false);
        var inputs = new KpiInputs
        {
            Cases = facts.Cases,
            Volumes = [.. facts.Volumes.Where(v => v.Date <= day)],
            Staffing = facts.Staffing,
        };
        var perMonth = new double?[12];
        double? target = null;
        for (var m = 1; m <= day.Month; m++)
        {
            var period = m == day.Month ? Period.Month(day.Year, m).Through(day) : Period.Month(day.Year, m);
            try
            {
                var value = kpis.Engine.Evaluate(kpi, period, inputs, new KpiScope(Teams: [row.Id]));
                perMonth[m - 1] = value.Value;
                // A whole month's target (the line is read against whole months).
                target = kpis.WithStatus(value, Period.Month(day.Year, m)).Status?.Target.Value ?? target;
            }
            catch (MissingStaffingException)
            {
                perMonth[m - 1] = null;
            }
        }

        if (perMonth.All(v => v is null))
        {
            return null;
        }

        var title = $"{row.Name} – volym per årsarbetare {day.Year}";
        var picture = TeamVolumeChart.RenderVolume(new TeamVolumeSeries(ChartRenderer.Slug($"{row.Id}-{day.Year}"), title, day.Year, perMonth, target));
        return new DigestPicture($"team-{ChartRenderer.Slug(row.Id)}@driftvy", title, picture.Png);
    }
}
