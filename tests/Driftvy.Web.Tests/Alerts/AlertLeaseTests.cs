using Driftvy.Web.Alerts;
using Driftvy.Web.Alerts.State;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Driftvy.Web.Tests.Alerts;

/// <summary>The evaluation lease between two would-be holders on one database, on a clock the test moves.</summary>
public sealed class AlertLeaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    // A lease of the test's own: the host's evaluation lease lives in the same table.
    private static AlertLease NewLease(DriftvyAppFactory app, FakeTimeProvider time) => new(
        app.Services.GetRequiredService<IDbContextFactory<DriftvyDbContext>>(),
        Options.Create(new AlertOptions { LeaseDuration = Duration }),
        time,
        NullLogger<AlertLease>.Instance)
    {
        Name = "test-lease",
    };

    [Fact]
    public async Task Lease_HolderStopsRenewing_TheOtherTakesItOnlyAfterItRunsOut()
    {
        await using var app = new DriftvyAppFactory();
        _ = app.Server;
        var time = TestClock.Frozen(TestClock.OrdinaryMorning);
        var a = NewLease(app, time);
        var b = NewLease(app, time);

        Assert.True(await a.RenewAsync(Ct));
        Assert.False(await b.RenewAsync(Ct));

        // Renewed before it runs out: still a's.
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await a.RenewAsync(Ct));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(await b.RenewAsync(Ct));
        Assert.True(a.IsHeld);

        // a goes silent (a crash): b takes over once the lease has run out, not before.
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(await b.RenewAsync(Ct));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await b.RenewAsync(Ct));
        Assert.False(a.IsHeld);
        Assert.False(await a.RenewAsync(Ct));
        Assert.True(b.IsHeld);
    }

    [Fact]
    public async Task Lease_HolderReleases_TheOtherTakesItAtOnce()
    {
        await using var app = new DriftvyAppFactory();
        _ = app.Server;
        var time = TestClock.Frozen(TestClock.OrdinaryMorning);
        var a = NewLease(app, time);
        var b = NewLease(app, time);
        Assert.True(await a.TryHoldAsync(Ct));
        Assert.False(await b.TryHoldAsync(Ct));

        await a.ReleaseAsync(Ct);

        Assert.True(await b.TryHoldAsync(Ct));
        Assert.False(await a.TryHoldAsync(Ct));
    }
}
