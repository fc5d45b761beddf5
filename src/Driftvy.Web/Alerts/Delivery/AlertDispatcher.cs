using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Driftvy.Web.Alerts.State;
using Driftvy.Web.Infrastructure;
using Driftvy.Web.Observability;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace Driftvy.Web.Alerts.Delivery;

/// <summary>Delivery settings. Section <c>Alerts:Delivery</c>.</summary>
public sealed class AlertDeliveryOptions
{
    public const string SectionName = "Alerts:Delivery";

    /// <summary>Attempts per notification (the first and its retries) before it is recorded as failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; doubled after each failure, with jitter.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a channel's circuit stays open (no attempts, notifications fail at once) after it broke.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Notifications waiting for delivery on one instance; beyond it a new one stays recorded as pending.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>
    /// How long the instance that decided a notification has to deliver it (with its retries) before another instance
    /// takes it over and sends it under the same key: set it above the longest a delivery with its retries can take.
    /// </summary>
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(5);

    internal static bool IsValid(AlertDeliveryOptions o) =>
        o.MaxAttempts is >= 1 and <= 20 && o.InitialBackoff >= TimeSpan.Zero && o.InitialBackoff <= TimeSpan.FromHours(1) &&
        o.AttemptTimeout >= TimeSpan.FromMilliseconds(10) && o.AttemptTimeout <= TimeSpan.FromHours(1) &&
        o.BreakDuration >= TimeSpan.FromMilliseconds(500) && o.QueueCapacity is >= 1 and <= 1_000_000 &&
        o.ClaimFor >= TimeSpan.FromSeconds(1) && o.ClaimFor <= TimeSpan.FromDays(1);

    /// <summary>Failed attempts in a channel's sampling window before its circuit opens: more than one notification's retries.</summary>
    internal int BreakerThroughput => Math.Max(2, MaxAttempts + 1);
}

/// <summary>One notification of one event to one channel, under its stable key.</summary>
/// <param name="Key">The stable key (see <see cref="NotificationKey"/>), sent as the Idempotency-Key.</param>
/// <param name="Event">What happened, as it stood when the notification was decided.</param>
/// <param name="Channel">Where it goes.</param>
/// <param name="Recorded">False when the key could not be stored (the database did not answer): sent anyway, not recorded.</param>
/// <param name="Image">The event's picture when it was drawn with the decision; otherwise it is looked up by the event's picture id.</param>
internal sealed record NotificationWork(string Key, AlertEvent Event, AlertChannelDefinition Channel, bool Recorded = true, AlertImage? Image = null);

/// <summary>A channel that cannot work as configured (a malformed URL or address, a missing secret): no retry helps.</summary>
internal sealed class ChannelMisconfiguredException(string message) : Exception(message);

/// <summary>
/// Delivers alert notifications from a bounded queue in the background: Microsoft Teams incoming webhooks, generic
/// JSON webhooks (both through the <c>alerts</c> HTTP client's resilience handler: attempt timeout, retry with
/// jittered exponential backoff, a circuit breaker per channel), e-mail over SMTP with MailKit (the same strategies
/// in a pipeline per channel), or the log. Each outcome is recorded on the notification's row; a notification that
/// fails after its retries, or cannot be sent at all, raises its channel's own alert.
/// </summary>
internal sealed class AlertDispatcher : BackgroundService
{
    // As JsonContent writes them (web defaults: camelCase names), but buffered so the length is known.
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    internal const string HttpClientName = "alerts";

    /// <summary>The request option naming the channel, which selects the channel's own resilience pipeline.</summary>
    internal static readonly HttpRequestOptionsKey<string> ChannelOption = new("driftvy-alert-channel");

    private const int Workers = 4;
    private readonly Channel<NotificationWork> _queue;
    private readonly IHttpClientFactory _http;
    private readonly AlertDeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly IServiceProvider _services;
    private readonly ILogger<AlertDispatcher> _logger;
    private readonly ResiliencePipelineRegistry<string> _mailPipelines = new();

    public AlertDispatcher(IHttpClientFactory http, IOptions<AlertDeliveryOptions> options, TimeProvider time, IServiceProvider services, ILogger<AlertDispatcher> logger)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _services = services;
        _logger = logger;
        _queue = Channel.CreateBounded<NotificationWork>(new BoundedChannelOptions(_options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Queues a notification; false (and logged) when the queue is full: its row stays pending.</summary>
    public bool Enqueue(NotificationWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_queue.Writer.TryWrite(work))
        {
            return true;
        }

        _logger.LogError("Alert delivery queue full ({Capacity}): notification {Key} to {Channel} is not sent and stays recorded as pending", _options.QueueCapacity, work.Key, work.Channel.Id);
        return false;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await DeliverAsync(work, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    _logger.LogError(ex, "Alert notification {Key} to {Channel}: delivery failed unexpectedly", work.Key, work.Channel.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; what is still queued stays recorded as pending.
        }
    }

    /// <summary>Sends one notification with its retries, records the outcome and reports the channel's health; true when delivered.</summary>
    internal async Task<bool> DeliverAsync(NotificationWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = DriftvyTracing.AlertDelivery(work.Event.Incident.Rule.Id, work.Channel.Id, work.Channel.Kind, work.Event.Kind.ToString().ToLowerInvariant());
        string? error;
        try
        {
            await SendAsync(work, cancellationToken).ConfigureAwait(false);
            span.Done("delivered");
            _logger.LogInformation("Alert notification {Key} delivered to {Channel}", work.Key, work.Channel.Id);
            _services.GetRequiredService<Observability.DriftvyMetrics>().AlertDelivered(work.Channel.Id, work.Channel.Kind, delivered: true);
            await RecordAsync(work, NotificationStatus.Sent, null, cancellationToken).ConfigureAwait(false);
            await ReportChannelAsync(work.Channel, failing: false, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChannelMisconfiguredException ex)
        {
            error = ex.Message;
            _logger.LogError("Alert channel {Channel} is misconfigured ({Problem}): notification {Key} cannot be sent", work.Channel.Id, ex.Message, work.Key);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            error = ex is BrokenCircuitException ? $"circuit open: {ex.Message}" : ex.Message;
            _logger.LogError("Alert notification {Key} to {Channel} failed after up to {Attempts} attempts: {Error}", work.Key, work.Channel.Id, _options.MaxAttempts, error);
        }

        _services.GetRequiredService<Observability.DriftvyMetrics>().AlertDelivered(work.Channel.Id, work.Channel.Kind, delivered: false);
        span.Done("failed", error);
        await RecordAsync(work, NotificationStatus.Failed, error, cancellationToken).ConfigureAwait(false);
        await ReportChannelAsync(work.Channel, failing: true, cancellationToken).ConfigureAwait(false);
        return false;
    }

    private async Task SendAsync(NotificationWork work, CancellationToken cancellationToken)
    {
        var (key, alert, channel, _, _) = work;
        switch (channel.Kind)
        {
            case "log":
                _logger.LogWarning("ALERT {Kind} [{Severity}] {Name} (value {Value}) {Key}", alert.Kind, alert.Incident.Rule.Severity, alert.Incident.Rule.Name, alert.Incident.Value, key);
                return;
            case "teams":
            case "webhook":
                var url = WebhookAddress(channel);
                var image = await ImageOfAsync(work, cancellationToken).ConfigureAwait(false);
                // Teams fetches a card's picture itself, without signing in: a signed link that expires names this one picture.
                var imageUrl = image is null ? null : _services.GetRequiredService<AlertImageLinks>().LinkTo(image.Id);
                var client = _http.CreateClient(HttpClientName);
                using (var request = new HttpRequestMessage(HttpMethod.Post, url))
                {
                    request.Options.Set(ChannelOption, channel.Id);
                    // Serialised first, so the request carries a Content-Length: simple receivers read a chunked body as empty.
                    request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(channel.Kind == "teams" ? AlertPayloads.Teams(alert, key, imageUrl) : AlertPayloads.Generic(alert, key, imageUrl), PayloadJson));
                    request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    // The same key on every attempt, from every instance: a receiver drops what it has already processed.
                    request.Headers.Add("Idempotency-Key", key);
                    using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                }

                return;
            case "email":
                var (host, from, to) = MailAddresses(channel);
                var picture = await ImageOfAsync(work, cancellationToken).ConfigureAwait(false);
                using (var message = new MimeMessage())
                {
                    message.From.Add(from);
                    message.To.AddRange(to);
                    message.Subject = AlertPayloads.Subject(alert);
                    message.Body = AlertPayloads.Mail(alert, picture);
                    message.MessageId = $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32]}@driftvy";
                    message.Headers.Add("X-Driftvy-Idempotency-Key", key);
                    var pipeline = _mailPipelines.GetOrAddPipeline(channel.Id, ConfigureMailPipeline);
                    await pipeline.ExecuteAsync(
                        async token =>
                        {
                            using var smtp = new SmtpClient();
                            await smtp.ConnectAsync(host, channel.SmtpPort, SecureSocketOptions.StartTlsWhenAvailable, token).ConfigureAwait(false);
                            await smtp.SendAsync(message, token).ConfigureAwait(false);
                            await smtp.DisconnectAsync(true, token).ConfigureAwait(false);
                        },
                        cancellationToken).ConfigureAwait(false);
                }

                return;
            default:
                throw new ChannelMisconfiguredException($"unknown channel kind '{channel.Kind}'");
        }
    }

    /// <summary>
    /// The notification's picture: drawn with the decision, or (a notification taken over from another instance) the
    /// stored one; null when the event has none or the database does not answer (the text goes out alone).
    /// </summary>
    private async Task<AlertImage?> ImageOfAsync(NotificationWork work, CancellationToken cancellationToken)
    {
        if (work.Image is not null)
        {
            return work.Image;
        }

        if (!_services.GetRequiredService<AlertPictures>().HasPicture(work.Event.Incident.Rule))
        {
            return null;
        }

        try
        {
            return await _services.GetRequiredService<AlertStateStore>().FindImageAsync(AlertPictures.IdOf(work.Event), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Alert notification {Key}: picture not read, sent without it: {Error}", work.Key, ex.Message);
            return null;
        }
    }

    /// <summary>The channel's webhook address: absolute http(s) with a host, or the channel is misconfigured.</summary>
    internal static Uri WebhookAddress(AlertChannelDefinition channel)
    {
        var text = ResolveSecret(channel.Url, "url");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            throw new ChannelMisconfiguredException("malformed webhook url");
        }

        return uri;
    }

    /// <summary>The channel's SMTP host, sender and recipients, each checked.</summary>
    internal static (string Host, MailboxAddress From, List<MailboxAddress> To) MailAddresses(AlertChannelDefinition channel)
    {
        if (string.IsNullOrWhiteSpace(channel.SmtpHost) || channel.SmtpPort is < 1 or > 65535)
        {
            throw new ChannelMisconfiguredException("missing smtp host or port");
        }

        var from = Mailbox(channel.From ?? "driftvy@localhost", "from");
        if (channel.To is not { Count: > 0 } recipients)
        {
            throw new ChannelMisconfiguredException("no recipients");
        }

        return (channel.SmtpHost, from, recipients.Select(r => Mailbox(r, "to")).ToList());
    }

    private static MailboxAddress Mailbox(string text, string field)
    {
        if (!PlainMailbox.TryParse(text, out var mailbox))
        {
            throw new ChannelMisconfiguredException($"malformed e-mail address in '{field}'");
        }

        return mailbox;
    }

    /// <summary>The resilience of one webhook channel (the <c>alerts</c> HTTP client selects it by the channel's id).</summary>
    internal static void ConfigureHttpPipeline(ResiliencePipelineBuilder<HttpResponseMessage> builder, AlertDeliveryOptions o, TimeProvider time)
    {
        builder.TimeProvider = time;
        if (o.MaxAttempts > 1)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = o.MaxAttempts - 1,
                Delay = o.InitialBackoff,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = o.BreakerThroughput,
            SamplingDuration = TimeSpan.FromMinutes(2),
            BreakDuration = o.BreakDuration,
        });
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = o.AttemptTimeout });
    }

    private void ConfigureMailPipeline(ResiliencePipelineBuilder builder)
    {
        var o = _options;
        builder.TimeProvider = _time;
        var transient = new PredicateBuilder().Handle<Exception>(ex => ex is not (ChannelMisconfiguredException or OperationCanceledException));
        if (o.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = o.MaxAttempts - 1,
                Delay = o.InitialBackoff,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = transient,
            FailureRatio = 0.5,
            MinimumThroughput = o.BreakerThroughput,
            SamplingDuration = TimeSpan.FromMinutes(2),
            BreakDuration = o.BreakDuration,
        });
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = o.AttemptTimeout });
    }

    private async Task RecordAsync(NotificationWork work, string status, string? error, CancellationToken cancellationToken)
    {
        if (!work.Recorded)
        {
            return;
        }

        try
        {
            await _services.GetRequiredService<AlertStateStore>().FinishNotificationAsync(work.Key, status, error, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Alert notification {Key}: outcome '{Status}' not recorded: {Error}", work.Key, status, ex.Message);
        }
    }

    private async Task ReportChannelAsync(AlertChannelDefinition channel, bool failing, CancellationToken cancellationToken)
    {
        var rule = new AlertRule
        {
            Id = ChannelRuleId(channel.Id),
            Name = $"Larmkanalen '{channel.Id}' tar inte emot larm",
            Measure = AlertMeasure.StoreUnreachable,
            Condition = AlertCondition.Above,
            Threshold = 0,
            Severity = AlertSeverity.Warning,
        };
        await _services.GetRequiredService<AlertMonitor>().ReportAsync(rule, failing, failing ? 1 : 0, cancellationToken).ConfigureAwait(false);
    }

    internal static string ChannelRuleId(string channel) => $"builtin:channel-failing:{channel}";

    private static string ResolveSecret(string? value, string field) =>
        value is null
            ? throw new ChannelMisconfiguredException($"channel has no {field}")
            : ConfiguredSecret.Resolve(value) ?? throw new ChannelMisconfiguredException($"environment variable {ConfiguredSecret.VariableName(value)} is not set");
}

/// <summary>
/// The stable key of a notification: the rule, the incident's start, what happened and when, and the channel. Every
/// instance derives the same key from the shared state, and a restart does too, so a key is stored (and sent) once.
/// </summary>
internal static class NotificationKey
{
    public static string For(AlertEvent alert, string channel)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var i = alert.Incident;
        var at = alert.Kind == AlertEventKind.Resolved ? i.ResolvedAt ?? i.LastNotifiedAt : i.LastNotifiedAt;
        return string.Join(
            ':',
            Uri.EscapeDataString(i.Rule.Id),
            i.FiredAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            alert.Kind.ToString().ToLowerInvariant(),
            at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Uri.EscapeDataString(channel));
    }
}
