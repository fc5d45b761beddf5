using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Dashboard.Display;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>A display token reads the notes its own board shows, not every note.</summary>
public sealed class DisplayAnnotationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The test clock's morning, 15 October 2026 in Stockholm.</summary>
    private static readonly DateTimeOffset Morning = new(2026, 10, 15, 9, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public async Task Annotations_DisplayTokenForOneBoard_ReadsOnlyThatBoardsNotesAndNotesForEveryone()
    {
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Security:AnonymousRead"] = "false" });
        using var leader = await app.CreateClientAsAsync(Roles.TeamLeader);
        foreach (var (subject, text) in new[] { ("aldre-direkt", "Äldre direkt: ny rutin"), ("kc", "Kontaktcentret: APT kl 14"), ("kc-stockholm", "HEMLIG kö-notis"), ("lr", "HEMLIG lr-notis"), ((string?)null, "Alla: brandövning") })
        {
            using var added = await leader.PostAsJsonAsync("/api/annotations", new { subject, start = Morning, text }, Ct);
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        var display = await app.Services.GetRequiredService<DisplayTokenService>().CreateAsync("aldre-direkt", "TV", Ct);
        using var tv = app.CreateClient();
        tv.DefaultRequestHeaders.Add("X-Display-Token", display.Token);

        var all = await tv.GetFromJsonAsync<JsonElement>("/api/annotations?from=2026-10-15&to=2026-10-15", Ct);
        var asked = await tv.GetFromJsonAsync<JsonElement>("/api/annotations?from=2026-10-15&to=2026-10-15&subject=kc-stockholm", Ct);
        var leaders = await leader.GetFromJsonAsync<JsonElement>("/api/annotations?from=2026-10-15&to=2026-10-15", Ct);

        Assert.Equal(["Alla: brandövning", "Kontaktcentret: APT kl 14", "Äldre direkt: ny rutin"], Texts(all));
        Assert.Equal(["Alla: brandövning"], Texts(asked));
        Assert.Equal(5, leaders.GetArrayLength());
    }

    private static string[] Texts(JsonElement notes) =>
        [.. notes.EnumerateArray().Select(n => n.GetProperty("text").GetString()!).Order(StringComparer.Ordinal)];
}
