using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// A WebSocket transport for the SignalR .NET client core (the full client package is not obtainable
/// here). It connects straight to the hub's WebSocket endpoint (no negotiate request) through a
/// delegate, so the same code works over the test server and over Kestrel on 127.0.0.1.
/// </summary>
internal sealed class WebSocketConnectionFactory(Func<Uri, CancellationToken, Task<WebSocket>> connect) : IConnectionFactory
{
    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var uri = endpoint is UriEndPoint u ? u.Uri : throw new ArgumentException("A UriEndPoint is required.", nameof(endpoint));
        var socket = await connect(uri, cancellationToken);
        var connection = new WebSocketConnection(socket);
        connection.Start();
        return connection;
    }

    private sealed class WebSocketConnection : ConnectionContext
    {
        private readonly WebSocket _socket;
        private readonly Pipe _incoming = new();
        private readonly Pipe _outgoing = new();
        private readonly CancellationTokenSource _stop = new();
        private Task _receiving = Task.CompletedTask;
        private Task _sending = Task.CompletedTask;

        public WebSocketConnection(WebSocket socket)
        {
            _socket = socket;
            Transport = new DuplexPipe(_incoming.Reader, _outgoing.Writer);
        }

        public override string ConnectionId { get; set; } = Guid.NewGuid().ToString("N");

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

        public override IDuplexPipe Transport { get; set; }

        public void Start()
        {
            _receiving = ReceiveAsync();
            _sending = SendAsync();
        }

        public override async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The other side is already gone.
            }

            await Task.WhenAll(_receiving, _sending).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
            _socket.Dispose();
            _stop.Dispose();
            await base.DisposeAsync();
        }

        private async Task ReceiveAsync()
        {
            Exception? error = null;
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var memory = _incoming.Writer.GetMemory(4096);
                    var result = await _socket.ReceiveAsync(memory, _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    _incoming.Writer.Advance(result.Count);
                    var flush = await _incoming.Writer.FlushAsync(_stop.Token);
                    if (flush.IsCompleted)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
            {
                error = ex;
            }
            finally
            {
                await _incoming.Writer.CompleteAsync(error);
            }
        }

        private async Task SendAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var result = await _outgoing.Reader.ReadAsync(_stop.Token);
                    foreach (var segment in result.Buffer)
                    {
                        await _socket.SendAsync(segment, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
                    }

                    _outgoing.Reader.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted)
                    {
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
            {
            }
            finally
            {
                await _outgoing.Reader.CompleteAsync();
            }
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
