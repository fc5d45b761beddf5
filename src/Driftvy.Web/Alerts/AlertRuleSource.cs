using Driftvy.Domain.Kpis;
using Driftvy.Web.Kpis;

namespace Driftvy.Web.Alerts;

/// <summary>
/// The alert rules in force: the rule file's, or an administrator's edited set stored in the database.
/// Swapped whole, so an evaluation never sees half a change.
/// </summary>
public sealed class AlertRuleSource
{
    private volatile AlertRuleSet _current;

    public AlertRuleSource(AlertRuleSet fileRules, string? fileJson = null, string fileName = "alerts.json")
    {
        FileRules = fileRules;
        FileJson = fileJson;
        FileName = fileName;
        _current = fileRules;
    }

    public AlertRuleSet Current => _current;

    /// <summary>The rules as the file defines them.</summary>
    public AlertRuleSet FileRules { get; }

    /// <summary>The rule file's text (null when there is no file).</summary>
    public string? FileJson { get; }

    public string FileName { get; }

    /// <summary>True while an administrator's rule set is in force instead of the file's.</summary>
    public bool Overridden { get; private set; }

    public void Replace(AlertRuleSet? edited)
    {
        Overridden = edited is not null;
        _current = edited ?? FileRules;
    }

    /// <summary>
    /// Parses a rule set against the organisation and the KPI catalogue (<paramref name="catalog"/>, or the one in
    /// force); errors name <paramref name="name"/> and the JSON path.
    /// </summary>
    public static AlertRuleSet Parse(string json, string name, KpiSetup kpis, KpiCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(kpis);
        return AlertRuleSet.Parse(
            json,
            name,
            kpis.Organisation.Queues.Select(q => q.Id).ToHashSet(StringComparer.Ordinal),
            (catalog ?? kpis.Catalog).Kpis.Select(k => k.Id).ToHashSet(StringComparer.Ordinal),
            kpis.Organisation.Teams.Select(t => t.Id).ToHashSet(StringComparer.Ordinal));
    }
}
