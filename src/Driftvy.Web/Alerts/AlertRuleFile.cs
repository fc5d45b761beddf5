using System.Text.Json;
using System.Text.Json.Serialization;

namespace Driftvy.Web.Alerts;

/// <summary>A delivery channel as configured in alerts.json.</summary>
/// <param name="Id">Channel id that rules refer to.</param>
/// <param name="Kind"><c>teams</c> (Microsoft Teams incoming webhook), <c>webhook</c> (generic JSON) or <c>email</c> (SMTP).</param>
/// <param name="Url">Webhook address (teams, webhook). May name an environment variable as <c>env:NAME</c> so secrets stay out of the repository.</param>
/// <param name="SmtpHost">SMTP server (email).</param>
/// <param name="SmtpPort">SMTP port (email).</param>
/// <param name="From">Sender address (email).</param>
/// <param name="To">Recipients (email).</param>
public sealed record AlertChannelDefinition(
    string Id, string Kind, string? Url = null, string? SmtpHost = null, int SmtpPort = 25, string? From = null, IReadOnlyList<string>? To = null);

/// <summary>The rules and channels of <c>seed/alerts.json</c>.</summary>
public sealed record AlertRuleSet(IReadOnlyList<AlertRule> Rules, IReadOnlyList<AlertChannelDefinition> Channels)
{
    public static AlertRuleSet Empty { get; } = new([], []);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>Parses and checks a rule file; errors name the file and the JSON path of the field.</summary>
    public static AlertRuleSet Parse(string json, string file, ISet<string> knownQueues, ISet<string> knownKpis, ISet<string>? knownTeams = null)
    {
        ArgumentNullException.ThrowIfNull(knownQueues);
        ArgumentNullException.ThrowIfNull(knownKpis);
        AlertFile? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<AlertFile>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{file}: {ex.Path ?? "$"}: {ex.Message}", ex);
        }

        if (parsed is null)
        {
            throw new InvalidDataException($"{file}: $: empty file");
        }

        var channels = parsed.Channels ?? [];
        var channelIds = channels.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var rules = parsed.Rules ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var r = rules[i];
            var at = $"{file}: $.rules[{i}]";
            if (r.Measure is AlertMeasure.Waiting or AlertMeasure.LongestWaitSeconds or AlertMeasure.Kpi)
            {
                if (r.Team is not null && r.Queue is null)
                {
                    if (knownTeams is null || !knownTeams.Contains(r.Team))
                    {
                        throw new InvalidDataException($"{at}.team: unknown team '{r.Team}'");
                    }
                }
                else if (r.Queue is null || !knownQueues.Contains(r.Queue))
                {
                    throw new InvalidDataException($"{at}.queue: unknown or missing queue '{r.Queue}' (or name a team)");
                }
            }

            if (r.Measure == AlertMeasure.ProjectedServiceLevel && (r.Queue is null || !knownQueues.Contains(r.Queue)))
            {
                throw new InvalidDataException($"{at}.queue: unknown or missing queue '{r.Queue}' (a projection is per queue)");
            }

            if (r.Measure == AlertMeasure.Kpi && (r.Kpi is null || !knownKpis.Contains(r.Kpi)))
            {
                throw new InvalidDataException($"{at}.kpi: unknown or missing KPI '{r.Kpi}'");
            }

            if (r.Condition != AlertCondition.OffTarget && r.Threshold is null)
            {
                throw new InvalidDataException($"{at}.threshold: required for condition '{r.Condition}'");
            }

            if (r.Condition == AlertCondition.Above && r.ClearThreshold > r.Threshold ||
                r.Condition == AlertCondition.Below && r.ClearThreshold < r.Threshold)
            {
                throw new InvalidDataException($"{at}.clear_threshold: must lie on the safe side of the threshold");
            }

            var unknown = r.Channels.FirstOrDefault(c => !channelIds.Contains(c));
            if (unknown is not null)
            {
                throw new InvalidDataException($"{at}.channels: unknown channel '{unknown}'");
            }
        }

        if (rules.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count() != rules.Count)
        {
            throw new InvalidDataException($"{file}: $.rules: rule ids must be unique");
        }

        return new AlertRuleSet(rules, channels);
    }

    private sealed record AlertFile(List<AlertRule>? Rules, List<AlertChannelDefinition>? Channels);
}
