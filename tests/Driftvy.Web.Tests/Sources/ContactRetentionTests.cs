using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Privacy;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Sources;

public sealed class ContactRetentionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PruneOnce_ContactsPastRetention_DeletedWhileTheirAggregatesStay()
    {
        var now = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(1));
        var time = new FakeTimeProvider(now);
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Privacy:ContactRetention"] = "100.00:00:00" }, time);
        _ = app.Server;
        var old = now.AddDays(-120);
        ContactRecord[] contacts =
        [
            new("old-1", Channel.Phone, "kc-stockholm", old, old.AddSeconds(20), null, old.AddMinutes(4), true) { CallerNumber = "+46 70 111 22 33" },
            new("new-1", Channel.Phone, "kc-stockholm", now.AddHours(-1), now.AddHours(-1).AddSeconds(30), null, now, true),
        ];
        var stored = await app.Services.GetRequiredService<IContactFactStore>().AddNewAsync("test", contacts, Ct);
        await app.Services.GetRequiredService<IAggregateStore>().ApplyAsync(new AggregateBatch(stored, []), Ct);

        var deleted = await app.Services.GetRequiredService<ContactPruner>().PruneOnceAsync(Ct);

        Assert.Equal(1, deleted);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DriftvyDbContext>>().CreateDbContextAsync(Ct);
        Assert.Equal(["new-1"], await db.Contacts.Select(c => c.ContactId).ToListAsync(Ct));
        var day = (await app.Services.GetRequiredService<IAggregateStore>().ReadTalliesAsync([BucketKey.For("kc-stockholm", Granularity.Day, old)], Ct))[0];
        Assert.Equal(1, day.Offered);
    }
}
