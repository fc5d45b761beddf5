using System.Net;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// An HTTP receiver on 127.0.0.1 that records requests and fails the first N of them; with <c>holdFirst</c> the
/// first request is recorded but never answered (a sender that dies while waiting for it).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private int _failuresLeft;
    private int _holdsLeft;

    public WebhookReceiver(int failFirst = 0, bool holdFirst = false)
    {
        _failuresLeft = failFirst;
        _holdsLeft = holdFirst ? 1 : 0;
        _server = new LoopbackHttpServer(HandleAsync);
    }

    public int Port => _server.Port;

    public Uri Url => new($"http://127.0.0.1:{Port}/hook");

    public List<(HttpStatusCode Status, string Body, string? IdempotencyKey)> Requests { get; } = [];

    /// <summary>Each request's Content-Length (-1 when the body came chunked, without one), in the order of <see cref="Requests"/>.</summary>
    public List<long> ContentLengths { get; } = [];

    private Task HandleAsync(HttpListenerContext context, string body)
    {
        if (Interlocked.Decrement(ref _holdsLeft) >= 0)
        {
            lock (Requests)
            {
                Requests.Add((HttpStatusCode.RequestTimeout, body, context.Request.Headers["Idempotency-Key"]));
                ContentLengths.Add(context.Request.ContentLength64);
            }

            // Left unanswered; closed with the listener.
            return Task.CompletedTask;
        }

        var status = Interlocked.Decrement(ref _failuresLeft) >= 0 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK;
        lock (Requests)
        {
            Requests.Add((status, body, context.Request.Headers["Idempotency-Key"]));
            ContentLengths.Add(context.Request.ContentLength64);
        }

        context.Response.StatusCode = (int)status;
        context.Response.Close();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
