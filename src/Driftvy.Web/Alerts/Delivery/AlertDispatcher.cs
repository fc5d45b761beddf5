using System.Globalization;
using System.Net.Mail;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Alerts.Delivery;

/// <summary>Delivery settings. Section <c>Alerts:Delivery</c>.</summary>
public sealed class AlertDeliveryOptions
{
    public const string SectionName = "Alerts:Delivery";

    /// <summary>Attempts per message before the channel is declared failing.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; doubled after each failure.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal static bool IsValid(AlertDeliveryOptions o) =>
        o.MaxAttempts is >= 1 and <= 20 && o.InitialBackoff >= TimeSpan.Zero && o.AttemptTimeout > TimeSpan.Zero;
}

/// <summary>
/// Delivers alert notifications to their channels in the background: Microsoft Teams incoming webhooks,
/// generic JSON webhooks, e-mail over SMTP, or the log. A failed attempt is retried with exponential
/// backoff; a message is delivered at most once per success, and a channel that keeps failing raises
/// its own alert.
/// </summary>
internal sealed class AlertDispatcher(
    IHttpClientFactory http,
    IOptions<AlertDeliveryOptions> options,
    TimeProvider time,
    IServiceProvider services,
    ILogger<AlertDispatcher> logger) : BackgroundService
{
    private readonly Channel<(AlertEvent Event, AlertChannelDefinition Channel)> _queue =
        Channel.CreateBounded<(AlertEvent, AlertChannelDefinition)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public void Enqueue(AlertEvent alert, IReadOnlyList<AlertChannelDefinition> channels)
    {
        foreach (var id in alert.Incident.Rule.Channels)
        {
            if (channels.FirstOrDefault(c => c.Id == id) is { } channel)
            {
                _queue.Writer.TryWrite((alert, channel));
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (alert, channel) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            // Each message retries on its own, so one slow channel does not hold up the others.
            _ = DeliverWithRetriesAsync(alert, channel, stoppingToken);
        }
    }

    internal async Task<bool> DeliverWithRetriesAsync(AlertEvent alert, AlertChannelDefinition channel, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var backoff = o.InitialBackoff;
        for (var attempt = 1; attempt <= o.MaxAttempts; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(o.AttemptTimeout);
                await SendAsync(alert, channel, attempt, timeout.Token).ConfigureAwait(false);
                logger.LogInformation("Alert {Incident} delivered to {Channel} on attempt {Attempt}", alert.Incident.Id, channel.Id, attempt);
                await ReportChannelAsync(channel, failing: false, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (ex is HttpRequestException or SmtpException or OperationCanceledException or InvalidOperationException or IOException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Alert {Incident} to {Channel}: attempt {Attempt} of {Max} failed: {Error}", alert.Incident.Id, channel.Id, attempt, o.MaxAttempts, ex.Message);
                if (attempt < o.MaxAttempts)
                {
                    await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                    backoff *= 2;
                }
            }
        }

        logger.LogError("Alert {Incident} could not be delivered to {Channel} after {Max} attempts", alert.Incident.Id, channel.Id, o.MaxAttempts);
        await ReportChannelAsync(channel, failing: true, cancellationToken).ConfigureAwait(false);
        return false;
    }

    private async Task SendAsync(AlertEvent alert, AlertChannelDefinition channel, int attempt, CancellationToken cancellationToken)
    {
        switch (channel.Kind)
        {
            case "log":
                logger.LogWarning("ALERT {Kind} [{Severity}] {Name} (value {Value})", alert.Kind, alert.Incident.Rule.Severity, alert.Incident.Rule.Name, alert.Incident.Value);
                return;
            case "teams":
            case "webhook":
                using (var client = http.CreateClient("alerts"))
                using (var request = new HttpRequestMessage(HttpMethod.Post, ResolveSecret(channel.Url)))
                {
                    request.Content = JsonContent.Create(channel.Kind == "teams" ? AlertPayloads.Teams(alert) : AlertPayloads.Generic(alert));
                    // Lets a receiver drop a retry it has already processed.
                    request.Headers.Add("Idempotency-Key", $"{alert.Incident.Id:N}-{alert.Kind}-{alert.Incident.LastNotifiedAt.ToUnixTimeMilliseconds()}");
                    using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                }

                return;
            case "email":
                using (var smtp = new SmtpClient(channel.SmtpHost, channel.SmtpPort))
                using (var message = new MailMessage(channel.From ?? "driftvy@localhost", string.Join(',', channel.To ?? [])))
                {
                    message.Subject = AlertPayloads.Subject(alert);
                    message.Body = AlertPayloads.Text(alert);
                    message.BodyEncoding = System.Text.Encoding.UTF8;
                    message.SubjectEncoding = System.Text.Encoding.UTF8;
                    message.Headers.Add("X-Driftvy-Attempt", attempt.ToString(CultureInfo.InvariantCulture));
                    await smtp.SendMailAsync(message, cancellationToken).ConfigureAwait(false);
                }

                return;
            default:
                throw new InvalidOperationException($"unknown channel kind '{channel.Kind}'");
        }
    }

    private async Task ReportChannelAsync(AlertChannelDefinition channel, bool failing, CancellationToken cancellationToken)
    {
        var rule = new AlertRule
        {
            Id = $"builtin:channel-failing:{channel.Id}",
            Name = $"Larmkanalen '{channel.Id}' tar inte emot larm",
            Measure = AlertMeasure.StoreUnreachable,
            Condition = AlertCondition.Above,
            Threshold = 0,
            Severity = AlertSeverity.Warning,
        };
        await services.GetRequiredService<AlertMonitor>().ReportAsync(rule, failing, failing ? 1 : 0, cancellationToken).ConfigureAwait(false);
    }

    private static string ResolveSecret(string? value) =>
        value is not null && value.StartsWith("env:", StringComparison.Ordinal)
            ? Environment.GetEnvironmentVariable(value[4..]) ?? throw new InvalidOperationException($"environment variable {value[4..]} is not set")
            : value ?? throw new InvalidOperationException("channel has no url");
}
