using System.Diagnostics;

namespace Driftvy.Web.Tests.Support;

/// <summary>Waiting for a server a test started as a child process (Driftvy itself, HAProxy) to answer <c>/health/live</c>.</summary>
public static class LiveProbe
{
    /// <summary>True once <c>/health/live</c> at <paramref name="address"/> answers with success; false when the process exits first or <paramref name="patience"/> runs out.</summary>
    public static async Task<bool> WaitAsync(Process process, Uri address, TimeSpan patience, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var answered = await Requirements.WaitUntilAsync(async () =>
        {
            if (process.HasExited)
            {
                return true;
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/live", UriKind.Relative), cancellationToken);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }, patience, cancellationToken);
        return answered && !process.HasExited;
    }
}
