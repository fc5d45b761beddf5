using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Storage;
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
    public async Task Need_BusierMorningThanTheSameWeekdays_RestOfDayIsTheCurveScaledAndTheDayProjected()
    {
        await using var app = IngestionTestHost.Create(time: TestClock.Frozen(Now));
        // Last Thursday: 10 calls in every quarter hour 08:00–18:00 (the expected curve, one day). Today: 150 calls
        // 08:00–10:29, one a minute, each answered after 10 s and handled for 180 s, with 8 agents answering.
        await ApplyAsync(app,
            Spread("lastweek-", new DateOnly(2026, 10, 8), new TimeOnly(8, 0), 400, 90, answerAfter: 10, handle: 240),
            Spread("today-", new DateOnly(2026, 10, 15), new TimeOnly(8, 0), 145, 60, answerAfter: 10, handle: 180));
        await app.ImportTextAsync(IngestKind.Snapshots,
            $"at,queue,waiting,longest_wait_s,agents_available,agents_busy,agents_away\n{Now.AddSeconds(-10):yyyy-MM-ddTHH:mm:sszzz},kc-stockholm,0,0,3,5,1\n", Ct);
        using var client = app.CreateClient();

        var need = await client.GetFromJsonAsync<JsonElement>("/api/staffing/queues/kc-stockholm", Ct);

        Assert.Equal("today", need.GetProperty("handle_time_from").GetString());
        Assert.False(need.GetProperty("snapshot_stale").GetBoolean());
        var rest = need.GetProperty("rest_of_day");
        Assert.StartsWith("erlang_c", rest.GetProperty("model").GetString(), StringComparison.Ordinal);
        var reforecast = rest.GetProperty("reforecast");
        // Ten quarter hours of 10 expected calls are behind, 145 came: the rest is the curve × 1.45.
        Assert.Equal("curve_scaled", reforecast.GetProperty("method").GetString());
        Assert.Equal(1, reforecast.GetProperty("curve_days").GetInt32());
        Assert.Equal(100, reforecast.GetProperty("expected_so_far").GetDouble(), 9);
        Assert.Equal(1.45, reforecast.GetProperty("factor").GetDouble(), 12);
        Assert.Equal(30 * 14.5, reforecast.GetProperty("rest_of_day_calls").GetDouble(), 9);
        var quarters = rest.GetProperty("quarters").EnumerateArray().ToList();
        Assert.Equal(30, quarters.Count);
        Assert.Equal(new DateTimeOffset(2026, 10, 15, 8, 30, 0, TimeSpan.Zero), quarters[0].GetProperty("start").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 10, 15, 15, 45, 0, TimeSpan.Zero), quarters[^1].GetProperty("start").GetDateTimeOffset());
        // 14.5 calls a quarter hour × 180 s = 2.9 Erlangs: 5 agents give 85 % within 60 s (Erlang C).
        var perQuarter = new Driftvy.Domain.Staffing.Workload(14.5, TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(180));
        var needed = Driftvy.Domain.Staffing.StaffingSolver.Solve(perQuarter, new Driftvy.Domain.Staffing.StaffingGoal(0.85, TimeSpan.FromSeconds(60))).Agents;
        Assert.All(quarters, q => Assert.Equal(needed, q.GetProperty("agents_needed").GetInt32()));
        // Every call so far was answered in time, and 8 agents answer nearly all of the rest in time: the day ends above 85 %.
        var projection = rest.GetProperty("projection");
        Assert.Equal(1, projection.GetProperty("service_level_so_far").GetDouble(), 12);
        Assert.InRange(projection.GetProperty("projected_service_level").GetDouble(), 0.97, 1);
        Assert.False(projection.GetProperty("misses_target").GetBoolean());
        Assert.Equal(8 * 7.5, projection.GetProperty("agent_hours_as_staffed").GetDouble(), 9);
        Assert.Equal(needed * 7.5, projection.GetProperty("agent_hours_needed").GetDouble(), 9);
    }

    [Fact]
    public async Task Need_NoCallEndedTodayAndAnOldSnapshot_SameWeekdaysHandleTimeAndTheSnapshotFlaggedStale()
    {
        await using var app = IngestionTestHost.Create(time: TestClock.Frozen(Now));
        // Last Thursday: calls handled for 240 s, 20 of them abandoned after 60 s of waiting (patience 2 min).
        await ApplyAsync(app,
            Spread("lastweek-", new DateOnly(2026, 10, 8), new TimeOnly(8, 0), 400, 90, answerAfter: 60, handle: 240, abandonEvery: 20));
        await app.ImportTextAsync(IngestKind.Snapshots,
            $"at,queue,waiting,longest_wait_s,agents_available,agents_busy,agents_away\n{Now.AddMinutes(-20):yyyy-MM-ddTHH:mm:sszzz},kc-stockholm,0,0,3,5,1\n", Ct);
        using var client = app.CreateClient();

        var need = await client.GetFromJsonAsync<JsonElement>("/api/staffing/queues/kc-stockholm", Ct);

        Assert.Equal("2026-10-08", need.GetProperty("handle_time_from").GetString());
        Assert.Equal(240, need.GetProperty("handle_time_seconds").GetDouble(), 9);
        // 400 callers waited 60 s each, 20 hung up: 24 000 s ÷ 20 = 1 200 s.
        Assert.Equal(1200, need.GetProperty("patience_seconds").GetDouble(), 9);
        Assert.StartsWith("erlang_a", need.GetProperty("rest_of_day").GetProperty("model").GetString(), StringComparison.Ordinal);
        Assert.True(need.GetProperty("snapshot_stale").GetBoolean());
        // Nothing came today although 100 were expected: the rest of the day is forecast at nothing.
        Assert.Equal(0, need.GetProperty("rest_of_day").GetProperty("reforecast").GetProperty("factor").GetDouble(), 12);
    }

    [Fact]
    public async Task Week_DaysGoneByTodayAndDaysToCome_CallsAndAgentHoursPerDay()
    {
        await using var app = IngestionTestHost.Create(time: TestClock.Frozen(Now));
        // Friday 9 October (the curve for Friday 16th) and Thursday 8th (today's curve); Monday 12th, this week: 60 calls.
        await ApplyAsync(app,
            Spread("fri-", new DateOnly(2026, 10, 9), new TimeOnly(8, 0), 400, 90, answerAfter: 10, handle: 180),
            Spread("thu-", new DateOnly(2026, 10, 8), new TimeOnly(8, 0), 400, 90, answerAfter: 10, handle: 180),
            Spread("mon-", new DateOnly(2026, 10, 12), new TimeOnly(8, 0), 60, 600, answerAfter: 120, handle: 180),
            Spread("today-", new DateOnly(2026, 10, 15), new TimeOnly(8, 0), 145, 60, answerAfter: 10, handle: 180));
        using var client = app.CreateClient();

        var week = await client.GetFromJsonAsync<JsonElement>("/api/staffing/queues/kc-stockholm/week", Ct);

        var days = week.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(7, days.Count);
        Assert.Equal("2026-10-12", days[0].GetProperty("date").GetString());
        Assert.Equal("actual", days[0].GetProperty("basis").GetString());
        Assert.Equal(60, days[0].GetProperty("calls").GetDouble(), 9);
        // Every Monday call waited two minutes: none within one.
        Assert.Equal(0, days[0].GetProperty("service_level").GetDouble(), 12);
        Assert.Equal("today", days[3].GetProperty("basis").GetString());
        Assert.Equal(145 + (30 * 14.5), days[3].GetProperty("calls").GetDouble(), 9);
        Assert.Equal(week.GetProperty("today").GetProperty("rest_of_day").GetProperty("projection").GetProperty("service_level_so_far").GetDouble(),
            days[3].GetProperty("service_level").GetDouble(), 12);
        // Friday: last Friday's 10 calls a quarter hour, 08:00–18:00, each needing the same agents.
        Assert.Equal("expected", days[4].GetProperty("basis").GetString());
        Assert.Equal(400, days[4].GetProperty("calls").GetDouble(), 9);
        var perQuarter = Driftvy.Domain.Staffing.StaffingSolver.Solve(
            new Driftvy.Domain.Staffing.Workload(10, TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(180)), new Driftvy.Domain.Staffing.StaffingGoal(0.85, TimeSpan.FromSeconds(60))).Agents;
        Assert.Equal(perQuarter * 10.0, days[4].GetProperty("agent_hours_needed").GetDouble(), 9);
        Assert.Equal(perQuarter, days[4].GetProperty("peak_agents").GetInt32());
        Assert.Equal("closed", days[5].GetProperty("reason").GetString());
        Assert.Equal("closed", days[6].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Need_UnknownQueue_NotFound()
    {
        await using var app = IngestionTestHost.Create(time: TestClock.Frozen(Now));
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/staffing/queues/no-such-queue", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary><paramref name="count"/> calls to kc-stockholm from <paramref name="from"/> (Stockholm time), one every <paramref name="everySeconds"/>.</summary>
    private static IEnumerable<ContactRecord> Spread(
        string prefix, DateOnly day, TimeOnly from, int count, int everySeconds, int answerAfter, int handle, int abandonEvery = 0)
    {
        var start = StockholmTime.ToUtc(day, from);
        for (var i = 0; i < count; i++)
        {
            var offered = start.AddSeconds(i * everySeconds);
            var abandon = abandonEvery > 0 && i % abandonEvery == 0;
            yield return abandon
                ? new ContactRecord($"{prefix}{i}", Channel.Phone, "kc-stockholm", offered, null, offered.AddSeconds(answerAfter), offered.AddSeconds(answerAfter), null)
                : new ContactRecord($"{prefix}{i}", Channel.Phone, "kc-stockholm", offered, offered.AddSeconds(answerAfter), null, offered.AddSeconds(answerAfter + handle), true);
        }
    }

    private static async Task ApplyAsync(DriftvyAppFactory app, params IEnumerable<ContactRecord>[] batches)
    {
        _ = app.Server;
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        // As a source's batch goes: facts and their durable tallies stored, then folded into the hot store.
        await app.Services.GetRequiredService<IContactFactStore>().AddNewAsync("test", [.. batches.SelectMany(b => b)], Ct);
        await app.Services.GetRequiredService<AggregateCatchUp>().CatchUpAsync(Ct);
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
