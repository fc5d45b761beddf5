using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Admin;
using Driftvy.Web.Alerts;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Kpis;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Admin;

/// <summary>
/// The administration API: every change is validated like the seed files (a bad one names the field and
/// changes nothing), put in force at once, kept with its history, and audited with the old and new value.
/// </summary>
public sealed class AdministrationTests
{
    private const string ServiceLevel = "kc_answered_within_1_min";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.FromHours(1));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TargetChange_IsInForceAtOnce_AuditedWithOldAndNew_AndRevertsToTheDocumentsTarget()
    {
        await using var app = new DriftvyAppFactory(time: new FakeTimeProvider(Now));
        using var admin = await app.CreateClientAsAsync(Roles.Admin, "controller");
        var kpis = app.Services.GetRequiredService<KpiSetup>();
        Assert.Equal(2015, kpis.Targets.Find(ServiceLevel, 2026)!.Year); // carried forward from the 2015 report

        var first = await admin.PutAsJsonAsync("/api/admin/targets", new { kpiId = ServiceLevel, year = 2026, value = 90, tolerance = 2, periodicity = "År" }, Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(90, kpis.Targets.Find(ServiceLevel, 2026)!.Value);
        Assert.Equal(85, kpis.Targets.Find(ServiceLevel, 2025)!.Value);
        var second = await admin.PutAsJsonAsync("/api/admin/targets", new { kpiId = ServiceLevel, year = 2026, value = 92, tolerance = 2, periodicity = "År" }, Ct);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/targets?year=2026", Ct);
        var row = listed.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("kpiId").GetString() == ServiceLevel);
        Assert.Equal("admin", row.GetProperty("origin").GetString());
        Assert.Equal(92, row.GetProperty("target").GetProperty("value").GetDouble());

        var audit = await app.Services.GetRequiredService<AuditLog>().ListAsync(10, Ct);
        var change = audit.First(a => a.Entity == "target");
        Assert.Equal("controller", change.Actor);
        Assert.Equal($"{ServiceLevel}|2026|", change.EntityId);
        Assert.Contains("\"value\":90", change.OldValue, StringComparison.Ordinal);
        Assert.Contains("\"value\":92", change.NewValue, StringComparison.Ordinal);

        var revert = await admin.DeleteAsync($"/api/admin/targets/{ServiceLevel}/2026", Ct);
        Assert.Equal(HttpStatusCode.OK, revert.StatusCode);
        Assert.Equal(85, kpis.Targets.Find(ServiceLevel, 2026)!.Value);
        var history = await app.Services.GetRequiredService<AdminSettingStore>().HistoryAsync(SettingKinds.Target, $"{ServiceLevel}|2026|", Ct);
        Assert.Equal(3, history.Count); // two versions and the removal, nothing overwritten
    }

    [Theory]
    [InlineData("""{ "kpiId": "kc_answered_within_1_min", "year": 2026, "value": 90, "tolerance": -1, "periodicity": "År" }""", "tolerance")]
    [InlineData("""{ "kpiId": "kc_answered_within_1_min", "year": 1999, "value": 90, "tolerance": 2, "periodicity": "År" }""", "year")]
    [InlineData("""{ "kpiId": "kc_answered_within_1_min", "year": 2026, "value": 90, "tolerance": 2, "periodicity": "Kvartal" }""", "periodicity")]
    [InlineData("""{ "kpiId": "no_such_kpi", "year": 2026, "value": 90, "tolerance": 2, "periodicity": "År" }""", "kpiId")]
    public async Task TargetChange_ThatDoesNotValidate_IsRefusedNamingTheField_AndChangesNothing(string body, string field)
    {
        await using var app = new DriftvyAppFactory(time: new FakeTimeProvider(Now));
        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        var before = app.Services.GetRequiredService<KpiSetup>().Targets;

        var response = await admin.PutAsync("/api/admin/targets", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync(Ct));
        Assert.Same(before, app.Services.GetRequiredService<KpiSetup>().Targets);
        Assert.Empty(await app.Services.GetRequiredService<AdminSettingStore>().InForceAsync(Ct));
        Assert.DoesNotContain(await app.Services.GetRequiredService<AuditLog>().ListAsync(10, Ct), a => a.Entity == "target");
    }

    [Fact]
    public async Task KpiParameterChange_BecomesANewVersionFromItsDate_AndEarlierPeriodsKeepTheirVersion()
    {
        await using var app = new DriftvyAppFactory(time: new FakeTimeProvider(Now));
        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        var kpis = app.Services.GetRequiredService<KpiSetup>();
        var versionsBefore = kpis.Catalog.Get(ServiceLevel).Versions.Count;

        var response = await admin.PostAsJsonAsync("/api/admin/kpi-parameters",
            new { kpiId = ServiceLevel, effectiveFrom = "2026-12-01", parameters = new Dictionary<string, int> { ["threshold_seconds"] = 30 } }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var kpi = kpis.Catalog.Get(ServiceLevel);
        Assert.Equal(versionsBefore + 1, kpi.Versions.Count);
        Assert.Equal(60, kpi.VersionOn(new DateOnly(2026, 11, 30))!.Parameters.ThresholdSeconds);
        Assert.Equal(30, kpi.VersionOn(new DateOnly(2026, 12, 1))!.Parameters.ThresholdSeconds);
        Assert.Equal(5, kpi.VersionOn(new DateOnly(2026, 12, 1))!.Parameters.ShortAbandonSeconds);
        var described = await admin.GetFromJsonAsync<JsonElement>("/api/kpis?on=2026-12-01", Ct);
        Assert.Contains(described.EnumerateArray(), d => d.GetProperty("kpiId").GetString() == ServiceLevel && d.GetProperty("version").GetInt32() == versionsBefore + 1);
        Assert.Contains(await app.Services.GetRequiredService<AuditLog>().ListAsync(10, Ct), a => a.Entity == "kpi.parameters");

        // Not yet in force, so it may be withdrawn; the catalogue is as before.
        var withdraw = await admin.DeleteAsync($"/api/admin/kpi-parameters/{ServiceLevel}/2026-12-01", Ct);
        Assert.Equal(HttpStatusCode.NoContent, withdraw.StatusCode);
        Assert.Equal(versionsBefore, kpis.Catalog.Get(ServiceLevel).Versions.Count);
    }

    [Theory]
    [InlineData("2026-11-01", "threshold_seconds", 30, "effectiveFrom")]
    [InlineData("2026-12-01", "threshold_seconds", 0, "parameters.threshold_seconds")]
    [InlineData("2026-12-01", "variant", 1, "parameters.variant")]
    public async Task KpiParameterChange_InThePastOrOutOfBounds_IsRefusedNamingTheField(string from, string parameter, int value, string field)
    {
        await using var app = new DriftvyAppFactory(time: new FakeTimeProvider(Now));
        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        var catalog = app.Services.GetRequiredService<KpiSetup>().Catalog;

        var response = await admin.PostAsJsonAsync("/api/admin/kpi-parameters",
            new { kpiId = ServiceLevel, effectiveFrom = from, parameters = new Dictionary<string, int> { [parameter] = value } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync(Ct));
        Assert.Same(catalog, app.Services.GetRequiredService<KpiSetup>().Catalog);
    }

    [Fact]
    public async Task StaffingEdit_IsCheckedLikeAnImportRow_AndAuditedWithOldAndNew()
    {
        await using var app = new DriftvyAppFactory(time: new FakeTimeProvider(Now));
        using var admin = await app.CreateClientAsAsync(Roles.Admin, "controller");

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/admin/staffing", new { month = "2026-05", team = "lr", fte = 12.5m }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/admin/staffing", new { month = "2026-05", team = "lr", fte = 13m }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/admin/staffing", new { month = "2026-05", team = "lr", fte = 13m }, Ct)).StatusCode);
        var unknownTeam = await admin.PutAsJsonAsync("/api/admin/staffing", new { month = "2026-05", team = "no-such-team", fte = 3m }, Ct);
        var negative = await admin.PutAsJsonAsync("/api/admin/staffing", new { month = "2026-05", team = "lr", fte = -1m }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, unknownTeam.StatusCode);
        Assert.Contains("team", await unknownTeam.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Contains("fte", await negative.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var grid = await admin.GetFromJsonAsync<JsonElement>("/api/admin/staffing?year=2026", Ct);
        var may = grid.GetProperty("teams").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "lr").GetProperty("months")[4];
        Assert.Equal(13m, may.GetProperty("fte").GetDecimal());
        var audit = (await app.Services.GetRequiredService<AuditLog>().ListAsync(10, Ct)).Where(a => a.Entity == "staffing").ToList();
        Assert.Equal(2, audit.Count); // the same figure saved again changes nothing and is not audited
        Assert.Equal("{\"fte\":12.5}", audit[0].OldValue);
        Assert.Equal("{\"fte\":13}", audit[0].NewValue);
        Assert.Null(audit[1].OldValue);
    }

    [Fact]
    public async Task BoardEdit_IsValidatedAgainstTheCatalogue_InForceAtOnce_AndRevertsToTheFile()
    {
        await using var app = new DriftvyAppFactory(time: new FakeTimeProvider(Now));
        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        var boards = app.Services.GetRequiredService<BoardCatalog>();
        var fileTitle = boards.Find("kontaktcenter")!.Title;
        var current = await admin.GetFromJsonAsync<JsonElement>("/api/admin/boards/kontaktcenter", Ct);
        var json = current.GetProperty("json").GetString()!;
        var edited = System.Text.Json.Nodes.JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        edited["title"] = "Alla telefonköer (ändrad)";

        var bad = edited.DeepClone();
        bad["title"] = null;
        var refused = await admin.PutAsJsonAsync("/api/admin/boards/kontaktcenter", new { json = bad.ToJsonString() }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("title", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(fileTitle, boards.Find("kontaktcenter")!.Title);

        var saved = await admin.PutAsJsonAsync("/api/admin/boards/kontaktcenter", new { json = edited.ToJsonString() }, Ct);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("Alla telefonköer (ändrad)", boards.Find("kontaktcenter")!.Title);
        var snapshot = await admin.GetFromJsonAsync<JsonElement>("/api/boards", Ct);
        Assert.Contains("Alla telefonköer (ändrad)", snapshot.ToString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/admin/boards/kontaktcenter", Ct)).StatusCode);
        Assert.Equal(fileTitle, boards.Find("kontaktcenter")!.Title);
    }

    [Fact]
    public async Task AlertRulesEdit_NamingAnUnknownQueue_IsRefusedWithItsPath_AndAValidSetReplacesTheFilesRules()
    {
        await using var app = new DriftvyAppFactory(time: new FakeTimeProvider(Now));
        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        var rules = app.Services.GetRequiredService<AlertRuleSource>();
        var fileRules = rules.Current;
        const string Rule = """
            { "rules": [ { "id": "kc-queue", "name": "Kön byggs upp", "measure": "waiting", "queue": "QUEUE",
                           "condition": "above", "threshold": 10, "clear_threshold": 5, "severity": "critical", "channels": ["log"] } ],
              "channels": [ { "id": "log", "kind": "log" } ] }
            """;

        var refused = await admin.PutAsJsonAsync("/api/admin/alert-rules", new { json = Rule.Replace("QUEUE", "no-such-queue", StringComparison.Ordinal) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("$.rules[0].queue", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Same(fileRules, rules.Current);

        var saved = await admin.PutAsJsonAsync("/api/admin/alert-rules", new { json = Rule.Replace("QUEUE", "kc-stockholm", StringComparison.Ordinal) }, Ct);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(["kc-queue"], rules.Current.Rules.Select(r => r.Id));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/admin/alert-rules", Ct)).StatusCode);
        Assert.Same(fileRules, rules.Current);
    }

    [Fact]
    public async Task ChangeSavedOnOneInstance_IsInForceOnAnotherAfterItsRefresh()
    {
        await using var first = new DriftvyAppFactory(time: new FakeTimeProvider(Now));
        using var admin = await first.CreateClientAsAsync(Roles.Admin);
        await using var second = new DriftvyAppFactory(time: new FakeTimeProvider(Now), dataDirectory: first.DataDirectory);
        var secondKpis = second.Services.GetRequiredService<KpiSetup>();
        Assert.Equal(85, secondKpis.Targets.Find(ServiceLevel, 2026)!.Value);

        var saved = await admin.PutAsJsonAsync("/api/admin/targets", new { kpiId = ServiceLevel, year = 2026, value = 88, tolerance = 2, periodicity = "År" }, Ct);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        await second.Services.GetRequiredService<AdminConfiguration>().RefreshAsync(Ct);

        Assert.Equal(88, secondKpis.Targets.Find(ServiceLevel, 2026)!.Value);
    }

    [Fact]
    public async Task StoredSettingThatNoLongerFits_IsSkippedAndReported_WhileTheOthersStayInForce()
    {
        await using var app = new DriftvyAppFactory(time: new FakeTimeProvider(Now));
        var store = app.Services.GetRequiredService<AdminSettingStore>();
        // As if a board file or the catalogue changed under a saved board: the stored JSON no longer validates.
        await store.AppendAsync(SettingKinds.Board, "kontaktcenter", """{ "id": "kontaktcenter", "title": "Gammal", "tiles": [ { "kpi": "gone_kpi", "queue": "kc-stockholm" } ] }""", "someone", Ct);
        await store.AppendAsync(SettingKinds.Target, $"{ServiceLevel}|2026|", """{ "kpiId": "kc_answered_within_1_min", "year": 2026, "value": 87, "tolerance": 2, "periodicity": "År" }""", "someone", Ct);
        var configuration = app.Services.GetRequiredService<AdminConfiguration>();

        await configuration.RefreshAsync(Ct);

        Assert.Equal(87, app.Services.GetRequiredService<KpiSetup>().Targets.Find(ServiceLevel, 2026)!.Value);
        var problem = Assert.Single(configuration.Problems);
        Assert.Contains("kontaktcenter", problem, StringComparison.Ordinal);
        Assert.NotEqual("Gammal", app.Services.GetRequiredService<BoardCatalog>().Find("kontaktcenter")!.Title);
    }

    [Fact]
    public async Task DisabledUser_CannotSignIn_AndEnablingLiftsIt_BothAudited()
    {
        await using var app = new DriftvyAppFactory(time: new FakeTimeProvider(Now));
        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        var users = app.Services.GetRequiredService<UserStore>();
        var viewer = await users.CreateAsync("tittare", DriftvyAppFactory.TestPassword, Roles.Viewer, Ct);
        using var anonymous = app.CreateClient();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/admin/users/{viewer.Id}/disabled", new { disabled = true }, Ct)).StatusCode);
        var refused = await anonymous.PostAsJsonAsync("/auth/login", new { username = "tittare", password = DriftvyAppFactory.TestPassword }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/admin/users/{viewer.Id}/disabled", new { disabled = false }, Ct)).StatusCode);
        var allowed = await anonymous.PostAsJsonAsync("/auth/login", new { username = "tittare", password = DriftvyAppFactory.TestPassword }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var audit = (await app.Services.GetRequiredService<AuditLog>().ListAsync(10, Ct)).Where(a => a.Entity == "user.disabled").ToList();
        Assert.Equal(["{\"disabled\":true}", "{\"disabled\":false}"], audit.Select(a => a.OldValue).ToList());
    }
}
