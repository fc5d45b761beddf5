using System.Net;
using System.Text;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// A bare HTTP server on 127.0.0.1 and a free port for the tests' stand-ins (a webhook receiver, a vendor's API): each
/// request's body is read and handed with its context to the handler, which answers it (or, on purpose, does not).
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, string, Task> _handle;
    private readonly Task _loop;

    public LoopbackHttpServer(Func<HttpListenerContext, string, Task> handle)
    {
        _handle = handle;
        Port = Requirements.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    /// <summary>Answers with <paramref name="status"/> and a JSON body.</summary>
    public static async Task AnswerJsonAsync(HttpListenerContext context, HttpStatusCode status, string json)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(json));
        context.Response.Close();
    }

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
            await _handle(context, await reader.ReadToEndAsync());
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
