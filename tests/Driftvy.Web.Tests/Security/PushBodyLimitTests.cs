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
        using var client = new HttpClient { BaseAddress = app.KestrelAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
        using var body = new StreamContent(new CsvStream(Over, declaresLength: !chunked));
        body.Headers.ContentType = new("text/csv");
        if (!chunked)
        {
            body.Headers.ContentLength = Over;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/contacts") { Content = body };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, Ct);
        }
        catch (HttpRequestException ex)
        {
            // The server may answer and close before the client has sent it all: the answer is still what counts,
            // but then the client cannot read it. Say so rather than pass.
            throw new Xunit.Sdk.XunitException($"no answer was read: {ex.Message}");
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.True(response.Headers.Contains("Content-Security-Policy"), "security headers on the refusal");
            Assert.True(response.Headers.Contains("X-Content-Type-Options"), "security headers on the refusal");
        }
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
