using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Tests.Ingestion;

namespace Driftvy.Web.Tests.Security;

/// <summary>
/// Input that is not what it seems is refused whole, naming the line (and the field where there is one), and nothing
/// is stored: control characters and mid-file byte-order marks in values, and JSON that is not strict JSON.
/// </summary>
public sealed class StrictIngestionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Header = "contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact,caller\n";

    private const string Good = "ok-1,phone,kc-stockholm,2026-10-15T09:00:00+02:00,2026-10-15T09:00:20+02:00,,2026-10-15T09:04:00+02:00,true,\n";

    [Theory]
    [InlineData("c\u00001,phone,kc-stockholm,2026-10-15T09:01:00+02:00,,,,,", "contact_id")]
    [InlineData("c\u001b[2J,phone,kc-stockholm,2026-10-15T09:01:00+02:00,,,,,", "contact_id")]
    [InlineData("c\u00851,phone,kc-stockholm,2026-10-15T09:01:00+02:00,,,,,", "contact_id")]
    [InlineData("\"c\n1\",phone,kc-stockholm,2026-10-15T09:01:00+02:00,,,,,", "contact_id")]
    [InlineData("c-2,phone,kc-stockholm,2026-10-15T09:01:00+02:00,,,,,070\u00001234567", "caller")]
    [InlineData("c-2,phone,kc-stock\u0000holm,2026-10-15T09:01:00+02:00,,,,,", "queue")]
    public async Task ImportCsv_ControlCharacterInAValue_RefusedWithLineAndFieldAndNothingStored(string row, string field)
    {
        await using var app = IngestionTestHost.Create();
        var before = await app.TableCountsAsync(Ct);

        var result = await app.ImportTextAsync(IngestKind.Contacts, Header + Good + row + "\n", Ct);

        Assert.False(result.Committed);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, field), (error.Line, error.Column));
        Assert.Contains("control character", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', error.Reason);
        Assert.Equal(before, await app.TableCountsAsync(Ct));
    }

    [Fact]
    public async Task ImportCsv_ByteOrderMarkInMidFile_RefusedWithLineAndField()
    {
        await using var app = IngestionTestHost.Create();
        var before = await app.TableCountsAsync(Ct);

        // Two exports glued together: the second's BOM lands at the start of a data row's id.
        var result = await app.ImportTextAsync(IngestKind.Contacts, "\uFEFF" + Header + Good + "\uFEFFc-2,phone,kc-stockholm,2026-10-15T09:01:00+02:00,,,,,\n", Ct);

        Assert.False(result.Committed);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, "contact_id"), (error.Line, error.Column));
        Assert.Contains("byte-order mark", error.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await app.TableCountsAsync(Ct));
    }

    [Fact]
    public async Task ImportCsv_LeadingByteOrderMark_Accepted()
    {
        await using var app = IngestionTestHost.Create();

        var result = await app.ImportTextAsync(IngestKind.Contacts, "\uFEFF" + Header + Good, Ct);

        Assert.True(result.Committed, string.Join("; ", result.Errors));
        Assert.Equal(1, result.Accepted);
    }

    [Theory]
    [InlineData("\"contact_id\": \"a\\u0000b\"", "contact_id", "control character")]
    [InlineData("\"contact_id\": \"\uFEFFa\"", "contact_id", "byte-order mark")]
    [InlineData("\"contact_id\": \"a\", \"contact_id\": \"b\"", "contact_id", "more than once")]
    [InlineData("\"contact_id\": \"a\", \"CONTACT_ID\": \"b\"", "contact_id", "more than once")]
    [InlineData("\"contact_id\": 12345", "contact_id", "JSON string")]
    [InlineData("\"contact_id\": 12345678901234567890", "contact_id", "JSON string")]
    [InlineData("\"contact_id\": true", "contact_id", "JSON string")]
    [InlineData("\"contact_id\": \"a\\ud800\"", "contact_id", "surrogate")]
    public async Task ImportJson_BadField_RefusedWithLineAndFieldAndNothingStored(string idField, string field, string reason)
    {
        await using var app = IngestionTestHost.Create();
        var before = await app.TableCountsAsync(Ct);
        var json = "[\n" + Record("\"contact_id\": \"ok-1\"") + ",\n" + Record(idField) + "\n]\n";

        var result = await app.ImportTextAsync(IngestKind.Contacts, json, Ct);

        Assert.False(result.Committed);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, field), (error.Line, error.Column));
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await app.TableCountsAsync(Ct));
    }

    [Theory]
    [InlineData("[\n{R},\n// a comment\n{R}\n]", 3)]
    [InlineData("[\n{R},\n/* a comment */ {R}\n]", 3)]
    [InlineData("[\n{R},\n{R},\n]", 4)]
    [InlineData("[\n{R, \"caller\": null,}\n]", 2)]
    [InlineData("[\n{R}\n]\nx", 4)]
    [InlineData("[\n{R}\n]\n[{R}]", 4)]
    public async Task ImportJson_NotStrictJson_RefusedWithLineAndNothingStored(string shape, int line)
    {
        await using var app = IngestionTestHost.Create();
        var before = await app.TableCountsAsync(Ct);
        var json = shape.Replace("{R}", Record("\"contact_id\": \"ok-1\""), StringComparison.Ordinal)
            .Replace("{R,", Record("\"contact_id\": \"ok-1\"")[..^1] + ",", StringComparison.Ordinal);

        var result = await app.ImportTextAsync(IngestKind.Contacts, json, Ct);

        Assert.False(result.Committed);
        var error = Assert.Single(result.Errors);
        Assert.Equal(line, error.Line);
        Assert.Equal(before, await app.TableCountsAsync(Ct));
    }

    [Fact]
    public async Task ImportJson_StrictJsonWithTheIdAsAString_Accepted()
    {
        await using var app = IngestionTestHost.Create();

        var result = await app.ImportTextAsync(IngestKind.Contacts, "[\n" + Record("\"contact_id\": \"0012\"") + "\n]\n", Ct);

        Assert.True(result.Committed, string.Join("; ", result.Errors));
        Assert.Equal(1, result.Accepted);
    }

    /// <summary>A contact record on one line, with the given id field.</summary>
    private static string Record(string idField) =>
        "{" + idField + ", \"channel\": \"phone\", \"queue\": \"kc-stockholm\", \"offered_at\": \"2026-10-15T09:00:00+02:00\"}";
}
