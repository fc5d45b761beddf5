using System.Globalization;
using System.Text.Json;

namespace Driftvy.Web.Sources.Ingestion;

/// <summary>
/// Ready mappings of hosted contact centres' real-time queue statistics onto queue snapshots: a poller with
/// <c>Preset: "amazon-connect"</c> (or <c>genesys-cloud</c>, <c>twilio-taskrouter</c>) needs only its address, its queues and its credentials.
/// What a poller sets itself (a field, the records path, the method or the body) wins over the preset. The shapes are those
/// of the vendors' public API references; the README names the authentication each needs.
/// </summary>
internal static class HttpPollerPresets
{
    /// <summary>A named mapping: how to ask (method, body) and where each snapshot column is in the answer.</summary>
    internal sealed record Preset(string Method, string Body, string RecordsPath, IReadOnlyDictionary<string, string> Fields);

    private static string Metric(string name) => $"Collections[Metric.Name={name}].Value";

    public static IReadOnlyDictionary<string, Preset> All { get; } = new Dictionary<string, Preset>(StringComparer.OrdinalIgnoreCase)
    {
        // POST /metrics/current/{InstanceId}, grouped by queue (so OLDEST_CONTACT_AGE comes in seconds). {queues} becomes
        // the JSON array of the poller's Queues keys (Amazon Connect queue ids). OLDEST_CONTACT_AGE is absent or null
        // while nobody waits: 0 then.
        ["amazon-connect"] = new(
            "POST",
            """{"Filters":{"Queues":{queues},"Channels":["VOICE"]},"Groupings":["QUEUE"],"CurrentMetrics":[{"Name":"CONTACTS_IN_QUEUE","Unit":"COUNT"},{"Name":"OLDEST_CONTACT_AGE","Unit":"SECONDS"},{"Name":"AGENTS_AVAILABLE","Unit":"COUNT"},{"Name":"AGENTS_ON_CONTACT","Unit":"COUNT"},{"Name":"AGENTS_NON_PRODUCTIVE","Unit":"COUNT"}]}""",
            "MetricResults",
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["queue"] = "Dimensions.Queue.Id",
                ["waiting"] = Metric("CONTACTS_IN_QUEUE"),
                ["longest_wait_s"] = Metric("OLDEST_CONTACT_AGE") + " ?? 0",
                ["agents_available"] = Metric("AGENTS_AVAILABLE"),
                ["agents_busy"] = Metric("AGENTS_ON_CONTACT"),
                ["agents_away"] = Metric("AGENTS_NON_PRODUCTIVE"),
            }),

        // POST /api/v2/analytics/queues/observations/query for the poller's queues (Genesys queue ids), voice only, so each
        // queue is one result. A metric whose count is zero may be left out of "data": 0 then. The longest wait is the age
        // of the oldest waiting conversation: oWaiting's detail observations are sorted oldest first (a truncated list
        // keeps the oldest half), each with the instant it started waiting.
        ["genesys-cloud"] = new(
            "POST",
            """{"filter":{"type":"and","clauses":[{"type":"or","predicates":{queueIdPredicates}}],"predicates":[{"dimension":"mediaType","value":"voice"}]},"metrics":["oWaiting","oOnQueueUsers","oOffQueueUsers"],"detailMetrics":["oWaiting"]}""",
            "results",
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["queue"] = "group.queueId",
                ["waiting"] = "data[metric=oWaiting].stats.count ?? 0",
                ["longest_wait_s"] = "age(data[metric=oWaiting].observations[0].observationDate) ?? 0",
                ["agents_available"] = "data[metric=oOnQueueUsers&qualifier=IDLE].stats.count ?? 0",
                ["agents_busy"] = "data[metric=oOnQueueUsers&qualifier=INTERACTING].stats.count ?? 0",
                ["agents_away"] = "data[metric=oOffQueueUsers].stats.count ?? 0",
            }),

        // GET /v1/Workspaces/{WorkspaceSid}/TaskQueues/{TaskQueueSid}/RealTimeStatistics: one queue per poller, the answer
        // itself is the record. Waiting = pending + reserved tasks (reserved ones ring an agent); the member figures use
        // TaskRouter's default activities (Idle, Busy, Reserved, Offline): a workspace with its own overrides those fields.
        ["twilio-taskrouter"] = new(
            "GET",
            "",
            "",
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["queue"] = "task_queue_sid",
                ["waiting"] = "tasks_by_status.pending + tasks_by_status.reserved",
                ["longest_wait_s"] = "longest_task_waiting_age ?? 0",
                ["agents_available"] = "total_available_workers",
                ["agents_busy"] = "activity_statistics[friendly_name=Busy].workers + activity_statistics[friendly_name=Reserved].workers",
                ["agents_away"] = "activity_statistics[friendly_name=Offline].workers",
            }),
    };

    /// <summary>Fills what the poller left unset from its preset (none: unchanged).</summary>
    public static void Apply(HttpPollerOptions poller)
    {
        ArgumentNullException.ThrowIfNull(poller);
        if (poller.Preset.Length == 0 || !All.TryGetValue(poller.Preset, out var preset))
        {
            return;
        }

        poller.Kind = IngestKind.Snapshots;
        if (poller.Method.Length == 0)
        {
            poller.Method = preset.Method;
        }

        if (poller.Body.Length == 0)
        {
            poller.Body = preset.Body;
        }

        if (poller.RecordsPath.Length == 0)
        {
            poller.RecordsPath = preset.RecordsPath;
        }

        foreach (var (column, path) in preset.Fields)
        {
            poller.Fields.TryAdd(column, path);
        }
    }

    /// <summary>
    /// The request body with <c>{queues}</c> replaced by the JSON array of the poller's system queue names, and
    /// <c>{queueIdPredicates}</c> by one <c>{"dimension":"queueId","value":…}</c> filter per name.
    /// </summary>
    public static string Body(HttpPollerOptions poller)
    {
        var names = poller.Queues.Keys.Order(StringComparer.Ordinal).ToArray();
        return poller.Body
            .Replace("{queues}", JsonSerializer.Serialize(names), StringComparison.Ordinal)
            .Replace("{queueIdPredicates}", JsonSerializer.Serialize(names.Select(n => new QueuePredicate("queueId", n))), StringComparison.Ordinal);
    }

    private sealed record QueuePredicate(
        [property: System.Text.Json.Serialization.JsonPropertyName("dimension")] string Dimension,
        [property: System.Text.Json.Serialization.JsonPropertyName("value")] string Value);
}

/// <summary>
/// Paths into a JSON record: <c>a.b</c> (objects), <c>a[2]</c> (an array item), <c>a[name=value]</c> (the first array item
/// whose <c>name</c>, itself a path, is <c>value</c>; <c>a[k=v&amp;j=w]</c> when several must match), <c>p + q</c> (the sum of
/// numbers), <c>age(p)</c> (whole seconds from the ISO 8601 instant at <c>p</c> to the snapshot's time, never negative)
/// and <c>p ?? 0</c> (a number when <c>p</c> is absent or null).
/// </summary>
internal static class JsonPath
{
    public static string? Text(JsonElement record, string expression, DateTimeOffset? now = null)
    {
        var fallback = (string?)null;
        var ops = expression.Split(" ?? ", 2, StringSplitOptions.TrimEntries);
        if (ops.Length == 2)
        {
            (expression, fallback) = (ops[0], ops[1]);
        }

        if (expression.StartsWith("age(", StringComparison.Ordinal) && expression.EndsWith(')'))
        {
            var instant = Scalar(Navigate(record, expression[4..^1]));
            if (now is null || instant is null
                || !DateTimeOffset.TryParse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            {
                return fallback;
            }

            return Math.Max(0L, (long)Math.Floor((now.Value - since).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var terms = expression.Split(" + ", StringSplitOptions.TrimEntries);
        if (terms.Length == 1)
        {
            return Scalar(Navigate(record, terms[0])) ?? fallback;
        }

        var sum = 0m;
        foreach (var term in terms)
        {
            if (Navigate(record, term) is not { } v || !TryNumber(v, out var n))
            {
                return fallback;
            }

            sum += n;
        }

        return sum.ToString(CultureInfo.InvariantCulture);
    }

    public static JsonElement? Navigate(JsonElement element, string path)
    {
        if (path.Length == 0)
        {
            return element;
        }

        foreach (var part in Split(path))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            if (name.Length > 0)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }

            if (bracket >= 0)
            {
                var selector = part[(bracket + 1)..^1];
                if (element.ValueKind != JsonValueKind.Array)
                {
                    return null;
                }

                var eq = selector.IndexOf('=', StringComparison.Ordinal);
                JsonElement? found = null;
                if (eq < 0 && int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    found = index < element.GetArrayLength() ? element[index] : null;
                }
                else if (eq > 0)
                {
                    var conditions = selector.Split('&').Select(c => c.Split('=', 2)).ToList();
                    if (conditions.Any(c => c.Length != 2 || c[0].Length == 0))
                    {
                        return null;
                    }

                    found = element.EnumerateArray().Select(e => (JsonElement?)e)
                        .FirstOrDefault(e => conditions.All(c => Scalar(Navigate(e!.Value, c[0])) == c[1]));
                }

                if (found is not { } next)
                {
                    return null;
                }

                element = next;
            }
        }

        return element;
    }

    /// <summary>A value as text: numbers that are whole (3.0) as integers, so a count sent as a double reads as a count.</summary>
    public static string? Scalar(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number } v => TryNumber(v, out var n) && n == decimal.Truncate(n) ? decimal.Truncate(n).ToString(CultureInfo.InvariantCulture) : v.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    private static bool TryNumber(JsonElement v, out decimal n)
    {
        n = 0;
        return v.ValueKind == JsonValueKind.Number ? v.TryGetDecimal(out n)
            : v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out n);
    }

    /// <summary>Splits at dots outside brackets (a selector's key may itself be dotted: <c>[Metric.Name=X]</c>).</summary>
    private static List<string> Split(string path)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < path.Length; i++)
        {
            depth += path[i] == '[' ? 1 : path[i] == ']' ? -1 : 0;
            if (path[i] == '.' && depth == 0)
            {
                parts.Add(path[start..i]);
                start = i + 1;
            }
        }

        parts.Add(path[start..]);
        return parts;
    }
}
