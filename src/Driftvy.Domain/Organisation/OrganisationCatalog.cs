using System.Globalization;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;

namespace Driftvy.Domain.Organisation;

public sealed record TeamDefinition(string Id, string NameSv, string NameEn, string Area);

public sealed record QueueDefinition(
    string Id, string NameSv, string NameEn, IReadOnlyList<Channel> Channels, string? Team, OpeningHours OpeningHours);

/// <summary>The queues and back-office teams KPIs are computed for, as declared in <c>seed/queues.json</c>.</summary>
public sealed class OrganisationCatalog
{
    private readonly Dictionary<string, QueueDefinition> _queues;
    private readonly Dictionary<string, TeamDefinition> _teams;

    private OrganisationCatalog(IReadOnlyList<QueueDefinition> queues, IReadOnlyList<TeamDefinition> teams)
    {
        Queues = queues;
        Teams = teams;
        _queues = queues.ToDictionary(q => q.Id, StringComparer.Ordinal);
        _teams = teams.ToDictionary(t => t.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<QueueDefinition> Queues { get; }

    public IReadOnlyList<TeamDefinition> Teams { get; }

    public QueueDefinition? Queue(string id) => _queues.GetValueOrDefault(id);

    public TeamDefinition? Team(string id) => _teams.GetValueOrDefault(id);

    /// <summary>Parses and validates the queues/teams document; errors name the file and field.</summary>
    public static OrganisationCatalog Parse(string json, string source = "queues.json")
    {
        var doc = SeedJson.Deserialize<OrganisationDocument>(json, source);
        var teams = new List<TeamDefinition>();
        for (var i = 0; i < doc.Teams.Count; i++)
        {
            var t = doc.Teams[i];
            var path = $"$.teams[{i}]";
            RequireId(t.Id, source, path + ".id");
            if (teams.Any(x => x.Id == t.Id))
            {
                throw SeedJson.Error(source, path + ".id", $"team '{t.Id}' is declared twice");
            }

            teams.Add(new TeamDefinition(t.Id, t.NameSv, t.NameEn, t.Area));
        }

        var queues = new List<QueueDefinition>();
        for (var i = 0; i < doc.Queues.Count; i++)
        {
            var q = doc.Queues[i];
            var path = $"$.queues[{i}]";
            RequireId(q.Id, source, path + ".id");
            if (queues.Any(x => x.Id == q.Id))
            {
                throw SeedJson.Error(source, path + ".id", $"queue '{q.Id}' is declared twice");
            }

            if (q.Team is not null && teams.All(t => t.Id != q.Team))
            {
                throw SeedJson.Error(source, path + ".team", $"unknown team '{q.Team}'");
            }

            if (q.Channels.Count == 0)
            {
                throw SeedJson.Error(source, path + ".channels", "at least one channel is needed");
            }

            var spans = new List<OpeningSpan>();
            for (var j = 0; j < q.OpeningHours.Count; j++)
            {
                var h = q.OpeningHours[j];
                var hp = $"{path}.opening_hours[{j}]";
                var open = ParseTime(h.Open, source, hp + ".open");
                var close = ParseTime(h.Close, source, hp + ".close");
                if (close <= open)
                {
                    throw SeedJson.Error(source, hp + ".close", "closing time must be after opening time");
                }

                if (h.Days.Count == 0)
                {
                    throw SeedJson.Error(source, hp + ".days", "at least one weekday is needed");
                }

                spans.AddRange(h.Days.Select(d => new OpeningSpan(d, open, close)));
            }

            queues.Add(new QueueDefinition(q.Id, q.NameSv, q.NameEn, q.Channels, q.Team,
                new OpeningHours(spans, q.ClosedOnNonWorkingDays)));
        }

        return new OrganisationCatalog(queues, teams);
    }

    private static void RequireId(string id, string source, string path)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Any(char.IsWhiteSpace))
        {
            throw SeedJson.Error(source, path, "an id must be non-empty and contain no spaces");
        }
    }

    private static TimeOnly ParseTime(string s, string source, string path) =>
        TimeOnly.TryParseExact(s, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t
            : throw SeedJson.Error(source, path, $"'{s}' is not a time of day (HH:mm)");

    internal sealed record OrganisationDocument(IReadOnlyList<TeamDocument> Teams, IReadOnlyList<QueueDocument> Queues);

    internal sealed record TeamDocument(string Id, string NameSv, string NameEn, string Area);

    internal sealed record QueueDocument(
        string Id, string NameSv, string NameEn, IReadOnlyList<Channel> Channels, string? Team,
        IReadOnlyList<OpeningDocument> OpeningHours, bool ClosedOnNonWorkingDays);

    internal sealed record OpeningDocument(IReadOnlyList<DayOfWeek> Days, string Open, string Close);
}
