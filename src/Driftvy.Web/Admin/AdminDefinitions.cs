using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Targets;
using Driftvy.Web.Alerts;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Kpis;

namespace Driftvy.Web.Admin;

/// <summary>A change an administrator asked for that cannot be used; names the field at fault.</summary>
public sealed class AdminValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// An annual target set by an administrator (replaces the seed's target for the same KPI, year and scope).
/// Value and tolerance are in the KPI's unit (percent as 0–100); periodicity is <c>År</c> or <c>Tertial</c>, as in the plans.
/// </summary>
public sealed record TargetEdit(
    string KpiId, int Year, double Value, double Tolerance, string Periodicity = "År",
    double? BandLow = null, double? BandHigh = null, string? Scope = null, string? Note = null)
{
    [JsonIgnore]
    public string Key => $"{KpiId}|{Year}|{Scope}";
}

/// <summary>
/// New parameter values for a KPI from a date on: becomes a new version of the KPI's definition, so periods
/// before the date keep the version they were computed with.
/// </summary>
public sealed record KpiParameterEdit(string KpiId, DateOnly EffectiveFrom, IReadOnlyDictionary<string, int> Parameters, string? Note = null)
{
    [JsonIgnore]
    public string Key => $"{KpiId}|{EffectiveFrom:yyyy-MM-dd}";
}

/// <summary>What the administrative settings put in force, laid over the seed files and board files.</summary>
internal sealed record AdminState(KpiCatalog Catalog, TargetSet Targets, IReadOnlyList<BoardDefinition> Boards, AlertRuleSet? AlertRules);

/// <summary>
/// Builds the definitions in force from the seed and the administrative settings, with the same validation
/// as the seed files (so nothing an administrator saves can be less checked than a file).
/// </summary>
internal static class AdminDefinitions
{
    /// <summary>The parameters an administrator may change, with their bounds.</summary>
    public static readonly IReadOnlyDictionary<string, (int Min, int Max)> EditableParameters = new Dictionary<string, (int, int)>(StringComparer.Ordinal)
    {
        ["threshold_seconds"] = (1, 3600),
        ["short_abandon_seconds"] = (0, 120),
        ["percentile"] = (1, 99),
    };

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static AdminState Build(KpiSetup seed, BoardCatalog boards, IReadOnlyList<AdminSetting> settings)
    {
        var catalog = BuildCatalog(seed, settings.Where(s => s.Kind == SettingKinds.KpiParameters).Select(s => Read<KpiParameterEdit>(s)));
        var targets = BuildTargets(seed, catalog, settings.Where(s => s.Kind == SettingKinds.Target).Select(s => (s.Id, Read<TargetEdit>(s))));
        var boardList = settings.Where(s => s.Kind == SettingKinds.Board).Select(s => ParseBoard(boards, s.Key, s.Json!)).ToList();
        var alerts = settings.LastOrDefault(s => s.Kind == SettingKinds.AlertRules) is { } rules ? ParseAlertRules(seed, catalog, rules.Json!) : null;
        return new AdminState(catalog, targets, boardList, alerts);
    }

    public static T Read<T>(AdminSetting setting) =>
        JsonSerializer.Deserialize<T>(setting.Json!, Json) ?? throw new AdminValidationException(setting.Kind, $"setting {setting.Id} is empty");

    public static BoardDefinition ParseBoard(BoardCatalog boards, string id, string json)
    {
        BoardDefinition board;
        try
        {
            board = boards.ParseText(json, $"board '{id}'");
        }
        catch (BoardFileException ex)
        {
            throw new AdminValidationException(ex.Field, ex.Message);
        }

        return board.Id == id ? board : throw new AdminValidationException("id", $"board '{id}': the id in the JSON is '{board.Id}'; an edit cannot rename a board");
    }

    public static AlertRuleSet ParseAlertRules(KpiSetup seed, KpiCatalog catalog, string json)
    {
        try
        {
            return AlertRuleSource.Parse(json, "alert rules", seed, catalog);
        }
        catch (InvalidDataException ex)
        {
            var field = ex.Message.Split(": ", 3) is { Length: 3 } parts ? parts[1] : "$";
            throw new AdminValidationException(field, ex.Message);
        }
    }

    private static KpiCatalog BuildCatalog(KpiSetup seed, IEnumerable<KpiParameterEdit> edits)
    {
        var root = JsonNode.Parse(seed.SeedKpisJson ?? throw new InvalidOperationException("The KPI catalogue was not loaded from a seed file."))!.AsObject();
        var kpis = root["kpis"]!.AsArray();
        foreach (var edit in edits.OrderBy(e => e.EffectiveFrom))
        {
            var kpi = kpis.OfType<JsonObject>().FirstOrDefault(k => (string?)k["id"] == edit.KpiId)
                ?? throw new AdminValidationException("kpiId", $"unknown KPI '{edit.KpiId}'");
            var versions = kpi["versions"]!.AsArray();
            var last = versions[^1]!.AsObject();
            var lastFrom = DateOnly.Parse((string)last["effective_from"]!, CultureInfo.InvariantCulture);
            if (edit.EffectiveFrom <= lastFrom)
            {
                throw new AdminValidationException("effectiveFrom", $"'{edit.KpiId}': must be later than version {(int)last["version"]!}'s effective date {lastFrom:yyyy-MM-dd}");
            }

            var next = last.DeepClone().AsObject();
            next["version"] = (int)last["version"]! + 1;
            next["effective_from"] = edit.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (next["formula"]?["parameters"] is not JsonObject parameters)
            {
                throw new AdminValidationException("parameters", $"'{edit.KpiId}' has no parameters to change");
            }

            if (edit.Parameters.Count == 0)
            {
                throw new AdminValidationException("parameters", "give at least one parameter");
            }

            foreach (var (name, value) in edit.Parameters)
            {
                if (!EditableParameters.TryGetValue(name, out var bounds) || parameters[name] is null)
                {
                    var has = string.Join(", ", parameters.Select(p => p.Key).Where(EditableParameters.ContainsKey));
                    throw new AdminValidationException($"parameters.{name}", $"'{edit.KpiId}' has no changeable parameter '{name}' (it has: {(has.Length == 0 ? "none" : has)})");
                }

                if (value < bounds.Min || value > bounds.Max)
                {
                    throw new AdminValidationException($"parameters.{name}", $"must lie between {bounds.Min} and {bounds.Max}");
                }

                parameters[name] = value;
            }

            var change = string.Join(", ", edit.Parameters.Select(p => $"{p.Key} = {p.Value}"));
            next["basis_note"] = $"{(string?)last["basis_note"]} Version {(int)next["version"]!}: {change} from {edit.EffectiveFrom:yyyy-MM-dd}, set in Driftvy's administration{(string.IsNullOrWhiteSpace(edit.Note) ? "" : ": " + edit.Note.Trim())}.".Trim();
            versions.Add(next);
        }

        try
        {
            return KpiCatalog.Parse(root.ToJsonString(), "kpis.json with administrative changes", seed.Organisation);
        }
        catch (CatalogValidationException ex)
        {
            throw new AdminValidationException(ex.Field, ex.Message);
        }
    }

    private static TargetSet BuildTargets(KpiSetup seed, KpiCatalog catalog, IEnumerable<(long Id, TargetEdit Edit)> edits)
    {
        var root = JsonNode.Parse(seed.SeedTargetsJson ?? throw new InvalidOperationException("The targets were not loaded from a seed file."))!.AsObject();
        var targets = root["targets"]!.AsArray();
        foreach (var (id, edit) in edits)
        {
            if (edit.Periodicity is not ("År" or "Tertial"))
            {
                throw new AdminValidationException("periodicity", "must be 'År' or 'Tertial'");
            }

            if (!double.IsFinite(edit.Value))
            {
                throw new AdminValidationException("value", "must be a number");
            }

            foreach (var same in targets.OfType<JsonObject>().Where(t => (string?)t["kpi_id"] == edit.KpiId && (int?)t["year"] == edit.Year && (string?)t["scope"] == edit.Scope).ToList())
            {
                targets.Remove(same);
            }

            var node = new JsonObject
            {
                ["kpi_id"] = edit.KpiId,
                ["year"] = edit.Year,
                ["value"] = edit.Value,
                ["periodicity"] = edit.Periodicity,
                ["tolerance"] = edit.Tolerance,
                // The setting's row in the administrative history stands where a seed target names its document line.
                ["source"] = new JsonObject { ["document"] = "admin_settings", ["line"] = id > int.MaxValue ? int.MaxValue : (int)id },
            };
            if (edit.BandLow is not null || edit.BandHigh is not null)
            {
                node["band_low"] = edit.BandLow;
                node["band_high"] = edit.BandHigh;
            }

            if (edit.Scope is not null)
            {
                node["scope"] = edit.Scope;
            }

            if (!string.IsNullOrWhiteSpace(edit.Note))
            {
                node["note"] = edit.Note.Trim();
            }

            targets.Add(node);
        }

        try
        {
            return TargetSet.Parse(root.ToJsonString(), catalog, "targets.json with administrative changes");
        }
        catch (CatalogValidationException ex)
        {
            // The field names the target's path in the merged list; the last part is the field that failed.
            var field = ex.Field.Contains('.', StringComparison.Ordinal) ? ex.Field[(ex.Field.LastIndexOf('.') + 1)..] : ex.Field;
            throw new AdminValidationException(field, ex.Problem);
        }
    }
}
