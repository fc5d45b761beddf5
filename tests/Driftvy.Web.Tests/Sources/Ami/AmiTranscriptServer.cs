using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Driftvy.Web.Tests.Sources.Ami;

/// <summary>
/// A small Asterisk Manager Interface on a free loopback port that answers from a transcript (queue-600.ami): the
/// greeting, each action's messages (with the action's ActionID), and events the test pushes by stage. It records every
/// action it received, and can drop its connections to make the client reconnect.
/// </summary>
internal sealed class AmiTranscriptServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, NetworkStream> _clients = new();
    private readonly Dictionary<(string Action, string? Stage), List<string>> _answers = [];
    private readonly Dictionary<string, List<string>> _pushes = new(StringComparer.Ordinal);
    private readonly List<string> _stages = [];
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Task _accepting;
    private string _banner = "";
    private int _next;
    private volatile string? _stage;

    public AmiTranscriptServer(string transcriptPath)
    {
        Load(File.ReadAllLines(transcriptPath));
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every action received, as (action name, its fields).</summary>
    public ConcurrentQueue<Dictionary<string, string>> Actions { get; } = new();

    public int Logins => Actions.Count(a => a.GetValueOrDefault("Action") == "Login");

    /// <summary>Moves the transcript to <paramref name="stage"/>: its events go to every connected client.</summary>
    public async Task PushAsync(string stage)
    {
        await _writing.WaitAsync();
        try
        {
            _stage = stage;
            foreach (var client in _clients.Values)
            {
                foreach (var message in _pushes[stage])
                {
                    await WriteAsync(client, message + "\r\n");
                }
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Closes every open connection (a restart of Asterisk, a network cut).</summary>
    public void DropConnections()
    {
        foreach (var (id, client) in _clients)
        {
            client.Socket.Close();
            _clients.TryRemove(id, out _);
        }
    }

    private void Load(string[] lines)
    {
        List<string>? current = null;
        var message = new StringBuilder();
        void Flush()
        {
            if (message.Length > 0 && current is not null)
            {
                current.Add(message.ToString());
            }

            message.Clear();
        }

        foreach (var line in lines)
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('@'))
            {
                Flush();
                var words = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                current = [];
                switch (words[0])
                {
                    case "banner":
                        break;
                    case "action":
                        _answers[(words[1], words.Length > 3 ? words[3] : null)] = current;
                        break;
                    case "push":
                        _pushes[words[1]] = current;
                        _stages.Add(words[1]);
                        break;
                }

                if (words[0] == "banner")
                {
                    current = null;
                    _banner = "";
                }

                continue;
            }

            if (current is null)
            {
                _banner = _banner.Length == 0 ? line : _banner;
                continue;
            }

            if (line.Length == 0)
            {
                Flush();
            }
            else
            {
                message.Append(line).Append("\r\n");
            }
        }

        Flush();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var id = Interlocked.Increment(ref _next);
        using (client)
        {
            var stream = client.GetStream();
            _clients[id] = stream;
            try
            {
                await WriteAsync(stream, _banner + "\r\n");
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.Length > 0)
                    {
                        var colon = line.IndexOf(':', StringComparison.Ordinal);
                        fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                        continue;
                    }

                    Actions.Enqueue(fields);
                    await _writing.WaitAsync();
                    try
                    {
                        await AnswerAsync(stream, fields);
                    }
                    finally
                    {
                        _writing.Release();
                    }

                    fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
            {
                // The client went away or the test dropped it.
            }
            finally
            {
                _clients.TryRemove(id, out _);
            }
        }
    }

    private async Task AnswerAsync(NetworkStream stream, Dictionary<string, string> action)
    {
        var name = action.GetValueOrDefault("Action") ?? "";
        var actionId = action.GetValueOrDefault("ActionID") ?? "";
        // The answer of the latest stage reached that the transcript gives, else the first one.
        var stageIndex = _stage is null ? -1 : _stages.IndexOf(_stage);
        List<string>? answer = null;
        for (var i = stageIndex; i >= 0 && answer is null; i--)
        {
            _answers.TryGetValue((name, _stages[i]), out answer);
        }

        if (answer is null && !_answers.TryGetValue((name, null), out answer))
        {
            answer = ["Response: Error\r\nMessage: Invalid/unknown command\r\n"];
        }

        foreach (var message in answer)
        {
            await WriteAsync(stream, message.Insert(message.IndexOf("\r\n", StringComparison.Ordinal) + 2, $"ActionID: {actionId}\r\n") + "\r\n");
        }
    }

    private static async Task WriteAsync(NetworkStream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropConnections();
        await _accepting;
        _stop.Dispose();
        _writing.Dispose();
    }
}
