using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Dashboard;

public sealed class KpiApiTests
{
    [Fact]
    public async Task GetKpis_ListsEveryKpiWithItsFormulaInWords()
    {
        await using var app = new DriftvyAppFactory();
        using var client = await app.CreateClientAsAsync(Driftvy.Web.Security.Roles.Viewer);

        var kpis = await client.GetFromJsonAsync<JsonElement[]>("/api/kpis?on=2026-05-01", TestContext.Current.CancellationToken);

        var sl = Assert.Single(kpis!, k => k.GetProperty("kpiId").GetString() == "kc_answered_within_1_min");
        Assert.Contains("60", sl.GetProperty("formulaEn").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(sl.GetProperty("formulaSv").GetString()));
        Assert.All(kpis!, k => Assert.False(string.IsNullOrWhiteSpace(k.GetProperty("formulaEn").GetString())));
    }
}
