using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Staffing;

public sealed class QueueStaffingTests
{
    // Thursday 15 October 2026, 10:30 in Stockholm, on a minute's first second.
    private static readonly DateTimeOffset Now = TestClock.OrdinaryMorning;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Need_RecentInflowAndTodaysHandleTime_AgentsNeededAgainstTheLatestSnapshot()
    {
        await using var app = IngestionTestHost.Create(time: TestClock.Frozen(Now));
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        // 100 calls between 10:02 and 10:26 and 20 more at 09:40–09:50, each answered after 10 s and handled for 180 s.
        await app.ImportTextAsync(IngestKind.Contacts, Calls(100, Now.AddMinutes(-28), 14, "recent-") + Calls(20, Now.AddMinutes(-50), 30, "earlier-", header: false), Ct);
        await app.ImportTextAsync(IngestKind.Snapshots,
            $"at,queue,waiting,longest_wait_s,agents_available,agents_busy,agents_away\n{Now.AddSeconds(-10):yyyy-MM-ddTHH:mm:sszzz},kc-stockholm,4,35,2,9,3\n", Ct);
        using var client = app.CreateClient();

        var need = await client.GetFromJsonAsync<JsonElement>("/api/staffing/queues/kc-stockholm", Ct);

        // The catalogue's target for the queue: 85 % within 60 s (the 2015 target, carried forward).
        Assert.Equal("kc_answered_within_1_min", need.GetProperty("target_kpi").GetString());
        Assert.Equal(0.85, need.GetProperty("service_level_target").GetDouble(), 12);
        Assert.Equal(60, need.GetProperty("answer_within_seconds").GetInt32());
        Assert.Equal(180, need.GetProperty("handle_time_seconds").GetDouble(), 9);
        Assert.Equal(120, need.GetProperty("handled_today").GetInt64());
        var windows = need.GetProperty("windows").EnumerateArray().ToList();
        // Last 30 minute buckets (10:01 … the current 10:30): 100 calls in 29 minutes, 10.34 Erlangs → 13 agents
        // (from exact factorial sums, outside the repository: 85.9 % within 60 s).
        Assert.Equal(30, windows[0].GetProperty("minutes").GetInt32());
        Assert.Equal(100, windows[0].GetProperty("offered").GetInt64());
        Assert.Equal(100 * 60.0 / 29, windows[0].GetProperty("calls_per_hour").GetDouble(), 9);
        Assert.Equal(13, windows[0].GetProperty("agents_needed").GetInt32());
        Assert.Equal(0.8590915808366275, windows[0].GetProperty("service_level").GetDouble(), 10);
        // Last 60 (9:31 …): 120 calls in 59 minutes, 6.10 Erlangs → 9 agents.
        Assert.Equal(120, windows[1].GetProperty("offered").GetInt64());
        Assert.Equal(9, windows[1].GetProperty("agents_needed").GetInt32());
        // Snapshot: 2 available + 9 busy answering, 3 away: 11 answering against 13 needed.
        Assert.Equal(14, need.GetProperty("agents_logged_in").GetInt32());
        Assert.Equal(11, need.GetProperty("agents_answering").GetInt32());
        Assert.Equal(-2, need.GetProperty("gap").GetInt32());
    }

    [Fact]
    public async Task Need_NoCallsEndedToday_SaysWhyThereIsNoFigure()
    {
        await using var app = IngestionTestHost.Create(time: TestClock.Frozen(Now));
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        using var client = app.CreateClient();

        var need = await client.GetFromJsonAsync<JsonElement>("/api/staffing/queues/kc-stockholm", Ct);

        var now = need.GetProperty("windows")[0];
        Assert.Equal(0, now.GetProperty("offered").GetInt64());
        Assert.Equal(JsonValueKind.Null, now.GetProperty("agents_needed").ValueKind);
        Assert.Contains("handle time", now.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, need.GetProperty("gap").ValueKind);
        Assert.Equal(JsonValueKind.Null, need.GetProperty("agents_logged_in").ValueKind);
    }

    [Fact]
    public async Task Need_UnknownQueue_NotFound()
    {
        await using var app = IngestionTestHost.Create(time: TestClock.Frozen(Now));
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/staffing/queues/no-such-queue", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string Calls(int count, DateTimeOffset from, int everySeconds, string prefix, bool header = true)
    {
        var sb = new StringBuilder(header ? "contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact\n" : string.Empty);
        for (var i = 0; i < count; i++)
        {
            var offered = from.AddSeconds(i * everySeconds);
            sb.Append(CultureInfo.InvariantCulture, $"{prefix}{i},phone,kc-stockholm,{offered:yyyy-MM-ddTHH:mm:sszzz},{offered.AddSeconds(10):yyyy-MM-ddTHH:mm:sszzz},,{offered.AddSeconds(190):yyyy-MM-ddTHH:mm:sszzz},true\n");
        }

        return sb.ToString();
    }
}
