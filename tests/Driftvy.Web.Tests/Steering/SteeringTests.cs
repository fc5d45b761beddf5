using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Contacts;
using Driftvy.Web.History;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Steering;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Driftvy.Web.Tests.Steering;

public sealed class SteeringTests
{
    // Thursday 8 January 2026, 10:00 in Stockholm.
    private static readonly DateTimeOffset Now = new(2026, 1, 8, 10, 0, 0, TimeSpan.FromHours(1));
    private static readonly DateOnly Today = new(2026, 1, 8);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Build_ContactsYesterdayAndAYearEarlier_GivesValueTargetStatusAndLastYear()
    {
        await using var app = App();
        await ApplyAsync(app,
            // Yesterday: 8 answered within a minute, 2 after five minutes → 80 % against 85 % (tolerance 2 points).
            [.. Calls("y", Today.AddDays(-1), 8, answerAfter: 20), .. Calls("y-late", Today.AddDays(-1), 2, answerAfter: 300)],
            // The same weekday 52 weeks earlier: all 5 within a minute.
            Calls("ly", Today.AddDays(-365), 5, answerAfter: 10));

        var view = await app.Services.GetRequiredService<SteeringService>().BuildAsync(Today, Ct);

        var kc = view.Queues.Single(q => q.Id == "kc-stockholm");
        var sl = kc.Measures.Single(m => m.Measure == "service_level").Cells["yesterday"];
        Assert.Equal(80, sl.Value!.Value, 6);
        Assert.Equal(85, sl.Target);
        Assert.Equal("off-target", sl.Status); // 5 points short, beyond the 2-point tolerance
        Assert.Equal(100, sl.LastYear);
        Assert.Equal(10, kc.Measures.Single(m => m.Measure == "offered").Cells["week"].Value);
        Assert.Equal(5, kc.Measures.Single(m => m.Measure == "offered").Cells["ytd"].LastYear);
        Assert.Equal(["yesterday", "week", "month", "ytd"], view.Periods.Select(p => p.Id).ToArray());
        Assert.Equal(new DateOnly(2026, 1, 5), view.Periods[1].From);
        // The team row merges its queues and carries the back-office measures too.
        var team = view.Teams.Single(t => t.Id == "kc");
        Assert.Contains(team.Measures, m => m.Measure == "service_level");
        Assert.Contains(team.Measures, m => m.Measure == "backlog");
    }

    [Fact]
    public async Task Build_BackOfficeCases_GivesBacklogAgeBucketsAndLeadTimes()
    {
        static DateTimeOffset At(DateOnly d) => new(d.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(1));
        CaseRecord[] cases =
        [
            new("c1", "lr", "query", At(new DateOnly(2026, 1, 7)), null, 5),                       // open, 1 working day old
            new("c2", "lr", "query", At(new DateOnly(2026, 1, 2)), null, 5),                       // open, 3 working days (6 Jan is a holiday)
            new("c3", "lr", "query", At(new DateOnly(2025, 12, 1)), null, 5),                      // open, > 10 working days
            new("c4", "lr", "query", At(new DateOnly(2026, 1, 5)), At(new DateOnly(2026, 1, 7)), 5),  // closed in 1 working day
            new("c5", "lr", "query", At(new DateOnly(2025, 12, 15)), At(new DateOnly(2026, 1, 7)), 5), // closed late
        ];
        var facts = new FakeBackOfficeFacts(cases, [], [], Now.AddHours(-3));
        await using var app = App(facts);

        var view = await app.Services.GetRequiredService<SteeringService>().BuildAsync(Today, Ct);

        var lr = view.Teams.Single(t => t.Id == "lr");
        Assert.Equal(new Dictionary<string, long> { ["0-2"] = 1, ["3-5"] = 1, ["6-10"] = 0, [">10"] = 1 }, lr.BacklogAges);
        Assert.Equal(3, lr.Measures.Single(m => m.Measure == "backlog").Cells["yesterday"].Value);
        Assert.Equal(50, lr.Measures.Single(m => m.Measure == "within_promised").Cells["week"].Value);
        Assert.NotNull(lr.Measures.Single(m => m.Measure == "lead_time_p90").Cells["month"].Value);
        Assert.Equal(Now.AddHours(-3), lr.DataAsOf);
        // Per-FTE without staffing says why instead of dividing by zero.
        Assert.Contains(lr.Measures, m => m.Measure == "volume_per_fte" && m.Cells["ytd"].Value is null && m.Cells["ytd"].Note is not null);
    }

    [Fact]
    public async Task Annotations_Added_ShowInTheListOnTheBoardAndInTheSteeringView()
    {
        await using var app = App();
        using var client = await app.CreateClientAsAsync(Driftvy.Web.Security.Roles.TeamLeader);

        var response = await client.PostAsJsonAsync("/api/annotations", new { subject = "kc-stockholm", start = Now.AddHours(-2), end = Now.AddHours(1), text = "Skolplattformen nere 08–11" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/annotations", new { subject = "no-such-queue", start = Now, text = "x" }, Ct)).StatusCode);
        await client.PostAsJsonAsync("/api/annotations", new { subject = "lr", start = Now.AddDays(-2), text = "Skanningsleverantör bytt" }, Ct);

        var listed = await client.GetFromJsonAsync<JsonElement>("/api/annotations?from=2026-01-01&to=2026-01-08", Ct);
        Assert.Equal(2, listed.GetArrayLength());
        var board = await app.Services.GetRequiredService<BoardSnapshotService>().BuildAsync("kontaktcenter", Ct);
        Assert.Equal("Skolplattformen nere 08–11", Assert.Single(board!.Tiles.Single(t => t.Queue == "kc-stockholm").Annotations).Text);
        Assert.Empty(board.Tiles.Single(t => t.Queue == "aldre-direkt").Annotations);
        var view = await client.GetFromJsonAsync<JsonElement>("/api/steering?date=2026-01-08", Ct);
        Assert.Equal(2, view.GetProperty("annotations").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/steering?date=8/1", Ct)).StatusCode);
    }

    [Fact]
    public async Task Callbacks_AbandonedNotAnsweredLater_ListedMaskedOnce()
    {
        await using var app = App();
        var at = Now.AddHours(-1);
        ContactRecord Call(string id, string number, DateTimeOffset offered, int? answerAfter, int? abandonAfter) =>
            new ContactRecord(id, Channel.Phone, "kc-stockholm", offered,
                answerAfter is { } a ? offered.AddSeconds(a) : null, abandonAfter is { } b ? offered.AddSeconds(b) : null,
                answerAfter is { } e ? offered.AddSeconds(e + 120) : null, null) { CallerNumber = number };
        await app.Services.GetRequiredService<IContactFactStore>().AddNewAsync("test",
        [
            Call("a1", "070-111 11 11", at, null, 40), Call("a2", "070-111 11 11", at.AddMinutes(20), 10, null),   // got through later
            Call("b1", "070-222 22 22", at, null, 40), Call("b2", "070-222 22 22", at.AddMinutes(5), null, 90),     // still waiting for us
            Call("c1", "070-333 33 33", at, null, 3),                                                              // short abandon
            Call("d1", "070-444 44 44", at.AddMinutes(-30), 15, null), Call("d2", "070-444 44 44", at, null, 60),  // answered only before
            Call("e1", "070-555 55 55", Now.AddDays(-1), null, 60),                                                // yesterday
        ], Ct);
        using var client = await app.CreateClientAsAsync(Driftvy.Web.Security.Roles.TeamLeader);

        var list = await client.GetFromJsonAsync<JsonElement>("/api/callbacks", Ct);

        var rows = list.EnumerateArray().ToList();
        Assert.Equal(["070-*** ** 22", "070-*** ** 44"], rows.Select(r => r.GetProperty("callerMasked").GetString()!).Order().ToArray());
        var b = rows.Single(r => r.GetProperty("callerMasked").GetString() == "070-*** ** 22");
        Assert.Equal(2, b.GetProperty("attempts").GetInt32());
        Assert.Equal(90, b.GetProperty("longestWaitSeconds").GetInt32());
        Assert.DoesNotContain("222 22", list.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expected_SameWeekdayHistory_AveragesDaysWithCallsAndLeavesOutHolidays()
    {
        await using var app = App();
        await ApplyAsync(app,
            Calls("nyar", new DateOnly(2026, 1, 1), 10, answerAfter: 5),     // Nyårsdagen, a Thursday: left out
            Calls("w3", new DateOnly(2025, 12, 18), 4, answerAfter: 5),
            Calls("w4", new DateOnly(2025, 12, 11), 2, answerAfter: 5));

        var curve = await app.Services.GetRequiredService<TallyHistory>().ExpectedAsync("kc-stockholm", Today, Ct);

        Assert.Equal(2, curve.DaysUsed);
        Assert.Equal(3, curve.PerQuarter[new TimeOnly(9, 0)]);
    }

    private static DriftvyAppFactory App(IBackOfficeFacts? facts = null) =>
        new(time: new FakeTimeProvider(Now), services: facts is null ? null : s => s.Replace(ServiceDescriptor.Singleton(facts)));

    /// <summary><paramref name="count"/> answered calls to kc-stockholm at 09:00–09:14 on <paramref name="day"/>.</summary>
    private static IEnumerable<ContactRecord> Calls(string prefix, DateOnly day, int count, int answerAfter)
    {
        var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(1));
        for (var i = 0; i < count; i++)
        {
            var offered = start.AddMinutes(i);
            yield return new ContactRecord($"{prefix}-{i}", Channel.Phone, "kc-stockholm", offered, offered.AddSeconds(answerAfter), null, offered.AddSeconds(answerAfter + 200), true);
        }
    }

    private static async Task ApplyAsync(DriftvyAppFactory app, params IEnumerable<ContactRecord>[] batches)
    {
        _ = app.Server;
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(Ct);
        // As a source's batch goes: facts and their durable tallies stored, then folded into the hot store.
        var stored = await app.Services.GetRequiredService<IContactFactStore>().AddNewAsync("test", [.. batches.SelectMany(b => b)], Ct);
        await app.Services.GetRequiredService<AggregateCatchUp>().CatchUpAsync(Ct);
        Assert.Equal(batches.Sum(b => b.Count()), stored.Count);
    }
}
