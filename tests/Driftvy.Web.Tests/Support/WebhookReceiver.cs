using System.Net;
using System.Text;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// An HTTP receiver on 127.0.0.1 that records requests and fails the first N of them; with <c>holdFirst</c> the
/// first request is recorded but never answered (a sender that dies while waiting for it).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _failuresLeft;
    private int _holdsLeft;

    public WebhookReceiver(int failFirst = 0, bool holdFirst = false)
    {
        _failuresLeft = failFirst;
        _holdsLeft = holdFirst ? 1 : 0;
        Port = Requirements.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hook");

    public List<(HttpStatusCode Status, string Body, string? IdempotencyKey)> Requests { get; } = [];

    /// <summary>Each request's Content-Length (-1 when the body came chunked, without one), in the order of <see cref="Requests"/>.</summary>
    public List<long> ContentLengths { get; } = [];

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Decrement(ref _holdsLeft) >= 0)
            {
                lock (Requests)
                {
                    Requests.Add((HttpStatusCode.RequestTimeout, body, context.Request.Headers["Idempotency-Key"]));
                    ContentLengths.Add(context.Request.ContentLength64);
                }

                // Left unanswered; closed with the listener.
                continue;
            }

            var status = Interlocked.Decrement(ref _failuresLeft) >= 0 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK;
            lock (Requests)
            {
                Requests.Add((status, body, context.Request.Headers["Idempotency-Key"]));
                ContentLengths.Add(context.Request.ContentLength64);
            }

            context.Response.StatusCode = (int)status;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: on Linux, Close after Stop looks the endpoint up again and binds the port anew, which fails
        // ("Address already in use") when a parallel test has taken the port meanwhile.
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // The endpoint is gone either way.
        }

        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
