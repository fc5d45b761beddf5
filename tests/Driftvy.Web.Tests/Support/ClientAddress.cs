using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// A host whose requests come from the address a test names in a header, set before anything of the app runs
/// (the in-memory test server has no client address of its own).
/// </summary>
internal static class ClientAddress
{
    public const string Header = "X-Test-Client-Address";

    public static DriftvyAppFactory Host(Dictionary<string, string?> settings, TimeProvider? time = null) =>
        new(settings, time, services: s => s.AddSingleton<IStartupFilter>(new FromHeader()));

    private sealed class FromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, proceed) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return proceed();
            });
            next(app);
        };
    }
}
