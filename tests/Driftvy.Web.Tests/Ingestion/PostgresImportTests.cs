using System.Text;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary>The import path on a real PostgreSQL server: binary COPY into a staging table, then ON CONFLICT DO NOTHING.</summary>
public sealed class PostgresImportTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 08:00 UTC the day before the host's pinned clock.
    private static DateTimeOffset Day => TestClock.OrdinaryMorning.AddDays(-1).AddMinutes(-30);

    [Fact]
    public async Task ImportAsync_OnPostgresTwice_CountsOnceAndFoldsOnce()
    {
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        await using var app = IngestionTestHost.Create(postgres: await postgres.CreateDatabaseAsync());
        var csv = IngestionTestHost.ContactsCsv(5_000, Day);

        var first = await app.ImportTextAsync(IngestKind.Contacts, csv, Ct);
        var second = await app.ImportTextAsync(IngestKind.Contacts, csv + "extra-1,chat,aldre-direkt,2026-11-02T09:00:00+01:00,,2026-11-02T09:00:40+01:00,,\n", Ct);

        Assert.Equal((5_000, 0), (first.Accepted, first.Duplicates));
        Assert.Equal((1, 5_000), (second.Accepted, second.Duplicates));
        var seqs = await app.WithDbAsync(db => db.Contacts.OrderBy(c => c.Seq).Select(c => c.Seq).ToListAsync(Ct), Ct);
        Assert.Equal(5_001, seqs.Count);
        Assert.Equal(5_000, await app.OfferedOnAsync("kc-stockholm", Day, Ct));
        // Yesterday lies before the hot store; its facts are accounted for all the same (the watermark is past them).
        Assert.Equal(seqs[^1], await app.Services.GetRequiredService<IAggregateStore>().ReadWatermarkAsync(Ct));
    }

    [Fact]
    public async Task ImportAsync_OnPostgresCancelledHalfway_NothingStoredAndRerunCountsExactly()
    {
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        await using var app = IngestionTestHost.Create(postgres: await postgres.CreateDatabaseAsync());
        var csv = Encoding.UTF8.GetBytes(IngestionTestHost.ContactsCsv(40_000, Day));
        var imports = app.Imports();
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var halfway = new InlineProgress(p =>
        {
            if (p.Phase == "store" && p.Done >= 20_000 && p.Done < 40_000)
            {
                kill.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => imports.ImportAsync(new ImportRequest(IngestKind.Contacts, "test", "big.csv"), csv, halfway, kill.Token));
        Assert.Equal("0,0,0,0,0,0,0,0,0", await app.TableCountsAsync(Ct));

        var rerun = await imports.ImportAsync(new ImportRequest(IngestKind.Contacts, "test", "big.csv"), csv, null, Ct);
        var again = await imports.ImportAsync(new ImportRequest(IngestKind.Contacts, "test", "big.csv"), csv, null, Ct);

        Assert.Equal((40_000, 0), (rerun.Accepted, rerun.Duplicates));
        Assert.Equal((0, 40_000), (again.Accepted, again.Duplicates));
    }

    [Fact]
    public async Task ImportAsync_OnPostgresBackOfficeFiles_LastWriteWinsAndBadFileChangesNothing()
    {
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        await using var app = IngestionTestHost.Create(postgres: await postgres.CreateDatabaseAsync());
        await app.ImportTextAsync(IngestKind.Staffing, "month,team,fte\n2026-10,lon,21.5\n2026-10,lr,14\n", Ct);
        await app.ImportTextAsync(IngestKind.Cases, "case_id,team,kind,opened_at,closed_at,promised_days\nL-1,lon,payslip_query,2026-11-02T09:00:00+01:00,,3\n", Ct);

        var changed = await app.ImportTextAsync(IngestKind.Staffing, "month,team,fte\n2026-10,lon,22\n2026-10,lr,14\n", Ct);
        var before = await app.TableCountsAsync(Ct);
        var bad = await app.ImportTextAsync(IngestKind.Staffing, "month,team,fte\n2026-11,lon,22\n2026-11,lr,x\n", Ct);

        Assert.Equal((0, 1, 1), (changed.Accepted, changed.Updated, changed.Duplicates));
        Assert.Equal(22m, (await app.WithDbAsync(db => db.Staffing.SingleAsync(s => s.Team == "lon", Ct), Ct)).Fte);
        Assert.Equal(("21.5", "22"), await app.WithDbAsync(async db => await db.IngestAudit.Select(a => new { a.OldValue, a.NewValue }).SingleAsync(Ct) is var a ? (a.OldValue, a.NewValue) : default, Ct));
        Assert.False(bad.Committed);
        Assert.Equal(before, await app.TableCountsAsync(Ct));
    }
}
