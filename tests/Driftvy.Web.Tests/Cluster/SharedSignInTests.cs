using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Tests.Cluster;

/// <summary>
/// Two instances on one database share one Data Protection key ring (the <c>data_protection_keys</c> table) under one
/// application name: a user signed in on one instance is signed in on the other, and the antiforgery token one
/// instance hands out is accepted by the other, as behind a balancer without sticky sessions.
/// </summary>
public sealed class SharedSignInTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignInOnOneInstance_PostgreSql_WorksOnTheOther()
    {
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        var database = await postgres.CreateDatabaseAsync();
        await SignInOnFirstAndWorkOnSecondAsync(new() { ["ConnectionStrings:Postgres"] = database });
    }

    [Fact]
    public async Task SignInOnOneInstance_SharedSqliteFile_WorksOnTheOther()
    {
        var folder = Path.Combine(Path.GetTempPath(), "driftvy-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await SignInOnFirstAndWorkOnSecondAsync(new() { ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(folder, "shared.db")};Default Timeout=30" });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task SignInOnFirstAndWorkOnSecondAsync(Dictionary<string, string?> database)
    {
        await using var first = new DriftvyAppFactory(database);
        await using var second = new DriftvyAppFactory(database);
        _ = first.Server;
        _ = second.Server;
        var username = $"anna-{Guid.NewGuid():N}"[..16];
        await first.Services.GetRequiredService<UserStore>().CreateAsync(username, DriftvyAppFactory.TestPassword, Roles.Admin, Ct);

        // Signed in on the first instance: its cookie, and an antiforgery token (with its cookie) it hands out.
        using var onFirst = first.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });
        using var signIn = await onFirst.PostAsJsonAsync("/auth/login", new { username, password = DriftvyAppFactory.TestPassword }, Ct);
        signIn.EnsureSuccessStatusCode();
        var session = Cookies(signIn);
        using var antiforgeryRequest = new HttpRequestMessage(HttpMethod.Get, "/auth/antiforgery") { Headers = { { "Cookie", session } } };
        using var antiforgery = await onFirst.SendAsync(antiforgeryRequest, Ct);
        var token = (await antiforgery.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!;
        var cookies = session + "; " + Cookies(antiforgery);

        // The second instance knows the user from the cookie alone and accepts a state change with the token.
        using var onSecond = second.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });
        using var meRequest = new HttpRequestMessage(HttpMethod.Get, "/auth/me") { Headers = { { "Cookie", cookies } } };
        using var me = await onSecond.SendAsync(meRequest, Ct);
        Assert.Equal(username, (await me.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString());
        using var change = new HttpRequestMessage(HttpMethod.Post, "/api/admin/users")
        {
            Headers = { { "Cookie", cookies }, { "X-CSRF-TOKEN", token } },
            Content = JsonContent.Create(new { username = "ny-" + username, password = DriftvyAppFactory.TestPassword, role = "viewer" }),
        };
        using var created = await onSecond.SendAsync(change, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // One key ring, in the database, under the fixed name: not two rings that happen to share a folder.
        var stored = await first.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync(Ct), Ct);
        var storedIds = stored.Select(x => System.Xml.Linq.XElement.Parse(x).Attribute("id")!.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.NotEmpty(storedIds);
        foreach (var app in new[] { first, second })
        {
            var known = app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.KeyManagement.IKeyManager>().GetAllKeys();
            Assert.NotEmpty(known);
            Assert.All(known, k => Assert.Contains(k.KeyId.ToString(), storedIds));
        }

        Assert.All(new[] { first, second }, app => Assert.Equal("Driftvy", app.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator));
    }

    /// <summary>The cookies a response sets, as a request's Cookie header.</summary>
    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';', 2)[0]));
}
