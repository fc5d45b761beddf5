using Microsoft.AspNetCore.Hosting;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// The Driftvy host for tests: its own temporary data folder (so no test sees another's facts),
/// settings given per test, a clock the test controls, and optionally real Kestrel on a loopback port
/// (for the browser tests). The host never reads the machine's clock: without a <c>time</c> of the test's own it
/// runs on a <see cref="RunningClock"/> started at <c>at</c> (default <see cref="TestClock.OrdinaryMorning"/>).
/// </summary>
public sealed class DriftvyAppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider _time;
    private readonly RunningClock? _ownedClock;
    private readonly bool _ownsDataDirectory;
    private readonly Action<IServiceCollection>? _services;

    public DriftvyAppFactory(IDictionary<string, string?>? settings = null, TimeProvider? time = null, int? kestrelPort = null, string? dataDirectory = null, Action<IServiceCollection>? services = null, DateTimeOffset? at = null)
    {
        if (time is not null && at is not null)
        {
            throw new ArgumentException("Give either a clock of the test's own or the instant the host's running clock starts at.", nameof(at));
        }

        _services = services;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "driftvy-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        _settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = DataDirectory,
            ["Sources:Telephony:Enabled"] = "false",
            // No simulated history unless a test asks for it: each test states the data it reads.
            ["Sources:Simulator:HistoryMonths"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            // The tests' data (and the seed examples) reach into November 2026 while the default clock stands at
            // 15 October 2026; production allows one day ahead. Tests of the window set their own.
            ["Ingestion:MaxFuture"] = "60.00:00:00",
            // Tests that turn anonymous reading off (production) are not about key encryption at rest; those that are set their own.
            ["Security:AllowUnencryptedKeys"] = "true",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            _settings[k] = v;
        }

        _ownedClock = time is null ? new RunningClock(at ?? TestClock.OrdinaryMorning) : null;
        _time = time ?? _ownedClock!;
        KestrelPort = kestrelPort;
        if (kestrelPort is { } port)
        {
            UseKestrel(port);
        }
    }

    public string DataDirectory { get; }

    /// <summary>The host's clock: the test's own, or the running clock the factory started.</summary>
    public TimeProvider Time => _time;

    /// <summary>A password that meets the rules, for test accounts.</summary>
    public const string TestPassword = "korrekt häst batteri häftklammer";

    /// <summary>Creates a user with <paramref name="role"/>, signs in, and returns a client carrying its cookie and antiforgery header.</summary>
    public async Task<HttpClient> CreateClientAsAsync(string role, string? username = null)
    {
        username ??= $"{role}-{Guid.NewGuid():N}"[..20];
        await Services.GetRequiredService<Driftvy.Web.Security.UserStore>().CreateAsync(username, TestPassword, role, CancellationToken.None);
        var client = CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var signIn = await client.PostAsJsonAsync("/auth/login", new { username, password = TestPassword });
        signIn.EnsureSuccessStatusCode();
        var antiforgery = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/auth/antiforgery");
        client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", antiforgery.GetProperty("token").GetString());
        return client;
    }

    public int? KestrelPort { get; }

    public Uri KestrelAddress => new($"http://127.0.0.1:{KestrelPort}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(_time)));

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownedClock is not null)
        {
            await _ownedClock.DisposeAsync();
        }

        if (_ownsDataDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a finalising connection; the temp folder is cleaned later.
            }
        }
    }
}
