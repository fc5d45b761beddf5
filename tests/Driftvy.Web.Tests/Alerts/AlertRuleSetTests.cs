using Driftvy.Web.Alerts;

namespace Driftvy.Web.Tests.Alerts;

public sealed class AlertRuleSetTests
{
    private static readonly HashSet<string> Queues = ["kc-stockholm", "aldre-direkt", "lon-pension", "leverantorsreskontra"];
    private static readonly HashSet<string> Kpis = ["kc_answered_within_1_min"];

    [Fact]
    public void Parse_ShippedRules_AreValid()
    {
        var set = AlertRuleSet.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed", "alerts.json")), "alerts.json", Queues, Kpis);

        Assert.NotEmpty(set.Rules);
        var ad = Assert.Single(set.Rules, r => r.Id == "aldre-direkt-queue-building");
        Assert.Equal(TimeSpan.FromMinutes(2), ad.For);
        Assert.Equal(AlertSeverity.Critical, ad.Severity);
        Assert.True(ad.OnlyWhenOpen);
    }

    [Theory]
    [InlineData("""{ "rules": [ { "id": "a", "name": "n", "measure": "waiting", "queue": "nowhere", "condition": "above", "threshold": 1 } ] }""", "$.rules[0].queue")]
    [InlineData("""{ "rules": [ { "id": "a", "name": "n", "measure": "waiting", "queue": "kc-stockholm", "condition": "above" } ] }""", "$.rules[0].threshold")]
    [InlineData("""{ "rules": [ { "id": "a", "name": "n", "measure": "waiting", "queue": "kc-stockholm", "condition": "above", "threshold": 5, "clear_threshold": 9 } ] }""", "$.rules[0].clear_threshold")]
    [InlineData("""{ "rules": [ { "id": "a", "name": "n", "measure": "sideways", "condition": "above", "threshold": 5 } ] }""", "$.rules[0].measure")]
    public void Parse_BadRule_NamesTheField(string json, string field)
    {
        var ex = Assert.Throws<InvalidDataException>(() => AlertRuleSet.Parse(json, "alerts.json", Queues, Kpis));

        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("alerts.json", ex.Message, StringComparison.Ordinal);
    }
}
