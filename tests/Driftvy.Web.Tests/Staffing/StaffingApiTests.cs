using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Staffing;

public sealed class StaffingApiTests : IAsyncLifetime
{
    private readonly DriftvyAppFactory _app = new(new Dictionary<string, string?> { ["Security:AnonymousRead"] = "false" });
    private HttpClient _viewer = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _viewer = await _app.CreateClientAsAsync(Roles.Viewer);

    public async ValueTask DisposeAsync()
    {
        _viewer.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Erlang_PublishedCase_AnswersFourteenAgentsTwentyScheduledAndUnroundedFractions()
    {
        using var response = await _viewer.GetAsync(new Uri("/api/staffing/erlang?calls=100&interval=00:30:00&aht=180&target=80&seconds=20&shrinkage=30", UriKind.Relative), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(14, body.GetProperty("agents").GetInt32());
        Assert.Equal(20, body.GetProperty("scheduled_agents").GetInt32());
        Assert.Equal(0.8883500191794669, body.GetProperty("service_level").GetDouble(), 10);
        Assert.Equal(7.835937011777243, body.GetProperty("asa_seconds").GetDouble(), 9);
        Assert.Equal(10.0 / 14, body.GetProperty("occupancy").GetDouble(), 12);
        Assert.Equal(0.17413193359504983, body.GetProperty("probability_of_waiting").GetDouble(), 10);
    }

    [Fact]
    public async Task Erlang_AsaLimitAndOccupancyLimit_BothApplied()
    {
        // 30 Erlangs: at most 85 % occupancy needs 36 agents, more than 80 % in 20 s or an ASA of 15 s alone.
        var body = await _viewer.GetFromJsonAsync<JsonElement>("/api/staffing/erlang?calls=300&interval=00:30:00&aht=180&target=80&seconds=20&asa=15&max_occupancy=85", Ct);

        Assert.Equal(36, body.GetProperty("agents").GetInt32());
        Assert.Equal(36, body.GetProperty("scheduled_agents").GetInt32());
        Assert.Equal(0.8912133853466575, body.GetProperty("service_level").GetDouble(), 10);
    }

    [Fact]
    public async Task Erlang_AsaOnly_ServiceLevelIsNull()
    {
        var body = await _viewer.GetFromJsonAsync<JsonElement>("/api/staffing/erlang?calls=50&interval=00:30:00&aht=420&asa=15", Ct);

        Assert.Equal(17, body.GetProperty("agents").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("service_level").ValueKind);
    }

    [Theory]
    [InlineData("calls=100&interval=00:00:00&aht=180&target=80&seconds=20", "interval_not_positive")]
    [InlineData("calls=-1&interval=00:30:00&aht=180&target=80&seconds=20", "calls_negative")]
    [InlineData("calls=100&interval=00:30:00&aht=180&target=101&seconds=20", "target_out_of_range")]
    [InlineData("calls=100&interval=00:30:00&aht=180&target=80&seconds=20&max_occupancy=0", "max_occupancy_unreachable")]
    [InlineData("calls=100&interval=00:30:00&aht=180&target=80&seconds=20&max_occupancy=120", "max_occupancy_out_of_range")]
    [InlineData("calls=100&interval=00:30:00&aht=180&target=80&seconds=20&shrinkage=100", "shrinkage_out_of_range")]
    [InlineData("calls=100&interval=half an hour&aht=180&target=80&seconds=20", "interval_not_a_time")]
    [InlineData("calls=100&interval=00:30:00&aht=180", "goal_missing")]
    [InlineData("interval=00:30:00&aht=180&target=80&seconds=20", "calls_missing")]
    [InlineData("calls=100&interval=00:30:00&aht=180&target=80", "seconds_missing")]
    [InlineData("calls=1e9&interval=00:30:00&aht=180&target=80&seconds=20", "load_too_large")]
    public async Task Erlang_ImpossibleInput_BadRequestProblemWithCode(string query, string code)
    {
        using var response = await _viewer.GetAsync(new Uri("/api/staffing/erlang?" + query, UriKind.Relative), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Erlang_Anonymous_Unauthorized()
    {
        using var anonymous = _app.CreateClient();
        using var response = await anonymous.GetAsync(new Uri("/api/staffing/erlang?calls=100&interval=00:30:00&aht=180&target=80&seconds=20", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
