using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>
/// Failed sign-ins hold back a user name from one address: the answer is the same for names that exist and names
/// that do not, and a stranger failing from elsewhere never keeps the owner out.
/// </summary>
public sealed class LockoutTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly IPAddress Stranger = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Owner = IPAddress.Parse("10.20.30.40");

    [Fact]
    public async Task SignIn_RepeatedFailures_KnownAndUnknownNamesAnsweredAlike()
    {
        await using var app = ClientAddress.Host(new Dictionary<string, string?> { ["Security:LockoutAttempts"] = "3" });
        await app.Services.GetRequiredService<UserStore>().CreateAsync("finns", DriftvyAppFactory.TestPassword, Roles.Viewer, Ct);

        var known = new List<(int, string)>();
        var unknown = new List<(int, string)>();
        for (var i = 0; i < 4; i++)
        {
            known.Add(await SignInAsync(app, Stranger, "finns", "fel lösenord här"));
            unknown.Add(await SignInAsync(app, Stranger, "finns-inte", "fel lösenord här"));
        }

        Assert.Equal([401, 401, 401, 429], known.Select(k => k.Item1));
        Assert.Equal(known, unknown);
    }

    [Fact]
    public async Task SignIn_StrangerFailsRepeatedlyFromElsewhere_OwnerStillSignsIn()
    {
        await using var app = ClientAddress.Host(new Dictionary<string, string?> { ["Security:LockoutAttempts"] = "3" });
        await app.Services.GetRequiredService<UserStore>().CreateAsync("anna", DriftvyAppFactory.TestPassword, Roles.Admin, Ct);
        for (var i = 0; i < 5; i++)
        {
            await SignInAsync(app, Stranger, "anna", "gissat lösenord " + i);
        }

        var stranger = await SignInAsync(app, Stranger, "anna", DriftvyAppFactory.TestPassword);
        var owner = await SignInAsync(app, Owner, "anna", DriftvyAppFactory.TestPassword);

        Assert.Equal(429, stranger.Status);
        Assert.Equal(200, owner.Status);
    }

    [Fact]
    public async Task SignIn_AfterTheWait_TheAddressMayTryAgain()
    {
        var clock = TestClock.Frozen(TestClock.OrdinaryMorning);
        await using var app = ClientAddress.Host(new Dictionary<string, string?> { ["Security:LockoutAttempts"] = "2", ["Security:LockoutDuration"] = "00:15:00" }, clock);
        await app.Services.GetRequiredService<UserStore>().CreateAsync("erik", DriftvyAppFactory.TestPassword, Roles.Viewer, Ct);
        await SignInAsync(app, Owner, "erik", "fel lösenord här");
        await SignInAsync(app, Owner, "erik", "fel lösenord här");
        Assert.Equal(429, (await SignInAsync(app, Owner, "erik", DriftvyAppFactory.TestPassword)).Status);

        clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(200, (await SignInAsync(app, Owner, "erik", DriftvyAppFactory.TestPassword)).Status);
    }

    /// <summary>Posts a sign-in from <paramref name="address"/>; returns the status and the body less its trace id.</summary>
    private static async Task<(int Status, string Body)> SignInAsync(DriftvyAppFactory app, IPAddress address, string username, string password)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = JsonContent.Create(new { username, password }) };
        request.Headers.Add(ClientAddress.Header, address.ToString());
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var body = JsonNode.Parse(text) as JsonObject;
        body?.Remove("traceId");
        return ((int)response.StatusCode, body?.ToJsonString() ?? text);
    }
}
