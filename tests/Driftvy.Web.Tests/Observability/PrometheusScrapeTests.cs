using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;

namespace Driftvy.Web.Tests.Observability;

/// <summary>
/// A real Prometheus scrapes a real Driftvy process with the metrics key and is asked, over its HTTP API, for the
/// series an operations board draws: ingest rows, poll durations, fold lag, screens connected, push bytes.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(120);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scrape_RealPrometheusWithMetricsKey_StoresDriftvySeries()
    {
        Requirements.Require(PrometheusServer.Executable is not null, "prometheus", "apt-get install prometheus");
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        await using var driftvy = await DriftvyProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Telemetry:MetricsKey"] = key,
                ["Telemetry:FoldLagEvery"] = "00:00:01",
                ["Sources:Telephony:PollInterval"] = "00:00:01",
            },
            StartPatience,
            Ct);

        // Without the key, or with a wrong one, the endpoint refuses.
        using (var http = new HttpClient { BaseAddress = driftvy.Address })
        {
            using var anonymous = await http.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Metrics", Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));
            using var refused = await http.SendAsync(wrong, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // A wall screen watching a board, so the screen series have something to count.
        await using var screen = HubClients.ForUrl(driftvy.Address, "/hubs/dashboard");
        await screen.StartAsync(Ct);
        await screen.InvokeAsync<System.Text.Json.JsonElement>("JoinBoard", "kontaktcenter", Ct);

        await using var prometheus = await PrometheusServer.StartAsync(driftvy.Address, key, Ct);
        string[] expected =
        [
            "driftvy_ingest_rows_accepted_total{source=\"simulator\",kind=\"contacts\",channel=\"poll\"} > 0",
            "driftvy_source_poll_duration_seconds_count{source=\"simulator\",outcome=\"ok\"} > 0",
            "driftvy_source_age_seconds{source=\"simulator\"}",
            "driftvy_fold_lag_contacts",
            "driftvy_fold_lag_seconds",
            "driftvy_screen_delay_seconds_count > 0",
            "driftvy_screens_connected{board=\"kontaktcenter\"} == 1",
            "driftvy_screen_push_bytes_total{board=\"kontaktcenter\"} > 0",
            "driftvy_alerts_evaluated_total > 0",
            "http_server_request_duration_seconds_count{http_route=\"/metrics\"} > 0",
            "dotnet_process_cpu_count",
        ];
        var missing = expected.ToList();
        await Requirements.WaitUntilAsync(
            async () =>
            {
                foreach (var query in missing.ToList())
                {
                    if ((await prometheus.QueryAsync(query, Ct)).Count > 0)
                    {
                        missing.Remove(query);
                    }
                }

                return missing.Count == 0;
            },
            TimeSpan.FromSeconds(60),
            Ct);

        var (health, lastError) = await prometheus.TargetAsync(Ct);
        Assert.True(health == "up", $"Prometheus's scrape of Driftvy is '{health}': {lastError}");
        Assert.True(missing.Count == 0, "Prometheus has no answer for: " + string.Join("; ", missing) + "\nDriftvy's log:\n" + driftvy.Log);
        var up = await prometheus.QueryAsync("up{job=\"driftvy\"}", Ct);
        Assert.Equal(1, Assert.Single(up).Value);
    }
}
