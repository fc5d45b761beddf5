using System.Text.Json;
using Driftvy.Web.Security;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Security;

/// <summary>Anonymous <c>/health</c> says states, ages and counts; error texts, which can quote the data, are for admins, and bounded.</summary>
public sealed class HealthDetailTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Header = "contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact\n";

    [Fact]
    public async Task Health_AfterRefusedImports_AnonymousSeesNoErrorTextAndAdminABoundedOne()
    {
        await using var app = IngestionTestHost.Create();
        // A refused row quoting a value, and a file whose one-megabyte header line is quoted in its refusal.
        await app.ImportTextAsync(IngestKind.Contacts, Header + "x,phone,HEMLIG-KÖ,2026-10-15T09:00:00+02:00,,,,\n", Ct, source: "agresso");
        await ImportIgnoringRefusalAsync(app, "contact_id,HEMLIG-RUBRIK" + new string('x', 1_000_000) + "\n1\n", "telia-ace");
        using var anonymous = app.CreateClient();
        using var admin = await app.CreateClientAsAsync(Roles.Admin);

        var open = await anonymous.GetStringAsync("/health", Ct);
        var full = await admin.GetStringAsync("/health", Ct);

        Assert.DoesNotContain("HEMLIG", open, StringComparison.Ordinal);
        Assert.True(open.Length < 8 * 1024, $"anonymous health is {open.Length} characters");
        var agresso = Source(open, "agresso");
        Assert.Equal(JsonValueKind.Null, agresso.GetProperty("lastError").ValueKind);
        Assert.Equal(1, agresso.GetProperty("rowsRejectedToday").GetInt64());
        Assert.True(agresso.TryGetProperty("lastErrorAt", out var at) && at.ValueKind == JsonValueKind.String, "when it failed is a state, not a detail");

        Assert.Contains("HEMLIG-KÖ", Source(full, "agresso").GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.NotNull(Source(full, "telia-ace").GetProperty("lastError").GetString());
        Assert.True(full.Length < 8 * 1024, $"admin health is {full.Length} characters, not the file's size");
    }

    private static JsonElement Source(string health, string source) =>
        JsonDocument.Parse(health).RootElement.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString() == source);

    private static async Task ImportIgnoringRefusalAsync(DriftvyAppFactory app, string text, string source)
    {
        try
        {
            await app.ImportTextAsync(IngestKind.Contacts, text, Ct, source);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or ArgumentException)
        {
            // A refused file is what the test wants; health must show it either way.
        }
    }
}
