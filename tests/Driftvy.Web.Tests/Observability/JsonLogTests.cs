using System.Text.Json;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Observability;

/// <summary>JSON console logs by configuration, carrying the trace id of the request that wrote them.</summary>
public sealed class JsonLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConsoleLog_JsonFormatter_LinesAreJsonWithTheRequestsTraceId()
    {
        await using var driftvy = await DriftvyProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Logging:Console:FormatterName"] = "json",
                ["Logging:LogLevel:Default"] = "Information",
                ["Sources:Telephony:Enabled"] = "false",
            },
            TimeSpan.FromSeconds(120),
            Ct);

        // A refused API key is logged (at Information) inside the request, with the request's W3C trace context.
        var traceId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        // No propagator: when another test's host in this process listens to activities, HttpClient would otherwise
        // replace the traceparent below with its own.
        using (var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = driftvy.Address })
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/boards"))
        {
            request.Headers.Add("X-Api-Key", "not-a-key");
            request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}-01");
            using var answer = await http.SendAsync(request, Ct);
        }

        JsonElement? line = null;
        await Requirements.WaitUntilAsync(
            () =>
            {
                line = driftvy.Log.Split('\n').Where(l => l.Contains(traceId, StringComparison.Ordinal)).Select(Parse).FirstOrDefault(e => e is not null);
                return Task.FromResult(line is not null);
            },
            // The console logger writes from its own queue; on a busy machine the line can take a while to reach stdout.
            TimeSpan.FromSeconds(45),
            Ct);

        Assert.True(line is not null, "no JSON log line carries the request's trace id:\n" + driftvy.Log);
        var scopes = line.Value.GetProperty("Scopes").EnumerateArray();
        Assert.Contains(scopes, s => s.TryGetProperty("TraceId", out var id) && id.GetString() == traceId);
        Assert.EndsWith("Z", line.Value.GetProperty("Timestamp").GetString(), StringComparison.Ordinal);
    }

    private static JsonElement? Parse(string line)
    {
        try
        {
            return JsonDocument.Parse(line.Trim()).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
