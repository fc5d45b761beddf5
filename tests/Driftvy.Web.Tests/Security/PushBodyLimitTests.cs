using System.Net;
using System.Text;
using Driftvy.Web.Sources.Ingestion.Api;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>A push over the body limit is the caller's 413 with the security headers, however its length is (not) declared.</summary>
public sealed class PushBodyLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The push limit (<c>Ingestion:MaxPushBytes</c>, 16 MiB) and one MiB more.</summary>
    private const long Over = (16L << 20) + (1 << 20);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Push_BodyOverTheLimit_Is413WithSecurityHeaders(bool chunked)
    {
        await using var app = new DriftvyAppFactory(kestrelPort: Requirements.FreePort());
        app.StartServer();
        var key = await app.Services.GetRequiredService<ApiKeyService>().CreateAsync("telephony", Ct);
        // Spoken over a plain socket, the answer read while the body is still being sent: the server answers and
        // closes before the client has sent it all, and a client that reads only after sending (HttpClient) then
        // loses the answer to the broken connection. The answer is what counts.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, app.KestrelPort!.Value, Ct);
        var stream = tcp.GetStream();
        var reading = ReadHeadAsync(stream);
        var head = "POST /api/ingest/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\n" + $"X-Api-Key: {key.Key}\r\nContent-Type: text/csv\r\n"
            + (chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {Over}\r\n") + "\r\n";
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
            using var csv = new CsvStream(Over, declaresLength: true);
            var buffer = new byte[64 * 1024];
            int n;
            while (!reading.IsCompleted && (n = csv.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (chunked)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{n:x}\r\n"), Ct);
                }

                await stream.WriteAsync(buffer.AsMemory(0, n), Ct);
                if (chunked)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray(), Ct);
                }
            }

            if (chunked && !reading.IsCompleted)
            {
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), Ct);
            }
        }
        catch (IOException)
        {
            // The server closed the connection after answering: expected once the limit is passed.
        }

        var answer = await reading.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.True(answer.StartsWith("HTTP/1.1 413 ", StringComparison.Ordinal), $"answer: {answer}");
        Assert.True(answer.Contains("\r\nContent-Security-Policy:", StringComparison.OrdinalIgnoreCase), "security headers on the refusal");
        Assert.True(answer.Contains("\r\nX-Content-Type-Options:", StringComparison.OrdinalIgnoreCase), "security headers on the refusal");
    }

    /// <summary>The answer's status line and headers, read as they arrive (empty when the connection ends before any).</summary>
    private static async Task<string> ReadHeadAsync(System.Net.Sockets.NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer, Ct);
                if (n == 0)
                {
                    break;
                }

                received.AddRange(buffer.AsSpan(0, n));
                var text = Encoding.ASCII.GetString([.. received]);
                if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    return text;
                }
            }
        }
        catch (IOException)
        {
            // Reset after the answer: what was read stands.
        }

        return Encoding.ASCII.GetString([.. received]);
    }

    /// <summary>A contacts CSV of the given length, written as it is read (never held in memory whole).</summary>
    private sealed class CsvStream(long length, bool declaresLength) : Stream
    {
        private static readonly byte[] Header = Encoding.ASCII.GetBytes("contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact\n");
        private static readonly byte[] Row = Encoding.ASCII.GetBytes("c,phone,kc-stockholm,2026-10-15T09:00:00+02:00,,,,\n");
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => declaresLength ? length : throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                var at = _position + i;
                buffer[offset + i] = at < Header.Length ? Header[at] : Row[(at - Header.Length) % Row.Length];
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
