using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Dashboard;

/// <summary><c>GET /api/boards/{id}/image.png</c>: the board's figures as one picture, for whoever may view the board.</summary>
public sealed class BoardImageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BoardImage_Viewer_GetsAPngOfTheAskedSizeWithTiles()
    {
        await using var app = new DriftvyAppFactory();
        using var client = await app.CreateClientAsAsync(Driftvy.Web.Security.Roles.Viewer);

        using var response = await client.GetAsync("/api/boards/kontaktcenter/image.png?width=800&height=450", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        using var image = new ScottPlot.Image(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal((800, 450), (image.Width, image.Height));
        var rgb = image.GetArrayRGB();
        var ink = 0;
        for (var y = 60; y < 450; y += 2)
        {
            for (var x = 0; x < 800; x += 2)
            {
                ink += rgb[y, x, 0] < 200 || rgb[y, x, 1] < 200 || rgb[y, x, 2] < 200 ? 1 : 0;
            }
        }

        Assert.True(ink > 500, $"the tiles should be drawn: {ink} dark sample pixels");
    }

    [Fact]
    public async Task BoardImage_NoSignInOrAnotherBoardsDisplayToken_Refused()
    {
        // Without anonymous reading, as an intranet installation runs.
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Security:AnonymousRead"] = "false" });
        using var admin = await app.CreateClientAsAsync(Driftvy.Web.Security.Roles.Admin);
        var created = await (await admin.PostAsJsonAsync("/api/admin/display-tokens", new { boardId = "kontaktcenter", label = "intranät" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var token = created.GetProperty("token").GetString()!;
        using var anonymous = app.CreateClient();
        using var display = app.CreateClient();
        display.DefaultRequestHeaders.Add("X-Display-Token", token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/boards/kontaktcenter/image.png", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await display.GetAsync("/api/boards/ledning/image.png", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await display.GetAsync("/api/boards/kontaktcenter/image.png", Ct)).StatusCode);
    }
}
