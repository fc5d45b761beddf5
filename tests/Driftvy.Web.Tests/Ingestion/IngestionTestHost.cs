using System.Globalization;
using System.Text;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary>The host with its own data folder, no background ingestion jobs, and helpers to inspect every ingestion table.</summary>
internal static class IngestionTestHost
{
    public static DriftvyAppFactory Create(IDictionary<string, string?>? settings = null, string? postgres = null, TimeProvider? time = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Ingestion:DropFolder:Enabled"] = "false",
            ["Ingestion:CatchUpInterval"] = "00:00:00",
            ["Ingestion:DropFolder:SettleTime"] = "00:00:00",
        };
        if (postgres is not null)
        {
            all["ConnectionStrings:Postgres"] = postgres;
        }

        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        return new DriftvyAppFactory(all, time);
    }

    /// <summary>Starts the host (migrations, aggregate catch-up) and returns the import service.</summary>
    public static ImportService Imports(this DriftvyAppFactory app)
    {
        _ = app.Server;
        return app.Services.GetRequiredService<ImportService>();
    }

    public static Task<ImportResult> ImportTextAsync(this DriftvyAppFactory app, IngestKind kind, string text, CancellationToken ct, string source = "test") =>
        app.Imports().ImportAsync(new ImportRequest(kind, source, "test.csv"), Encoding.UTF8.GetBytes(text), null, ct);

    /// <summary>Row counts of every table an import may write: "unchanged" means all of these are equal.</summary>
    public static async Task<string> TableCountsAsync(this DriftvyAppFactory app, CancellationToken ct)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DriftvyDbContext>>().CreateDbContextAsync(ct);
        long[] counts =
        [
            await db.Contacts.LongCountAsync(ct), await db.Cases.LongCountAsync(ct), await db.Volumes.LongCountAsync(ct),
            await db.Staffing.LongCountAsync(ct), await db.QueueSnapshots.LongCountAsync(ct), await db.IngestBatches.LongCountAsync(ct),
            await db.IngestAudit.LongCountAsync(ct), await db.RegisteredUnits.LongCountAsync(ct), await db.SourceWatermarks.LongCountAsync(ct),
        ];
        return string.Join(',', counts);
    }

    public static async Task<T> WithDbAsync<T>(this DriftvyAppFactory app, Func<DriftvyDbContext, Task<T>> read, CancellationToken ct)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DriftvyDbContext>>().CreateDbContextAsync(ct);
        return await read(db);
    }

    /// <summary>A queue's contacts offered on the Stockholm day of <paramref name="instant"/>, as the durable history holds them.</summary>
    public static async Task<long> OfferedOnAsync(this DriftvyAppFactory app, string queue, DateTimeOffset instant, CancellationToken ct)
    {
        var day = Driftvy.Domain.Calendar.StockholmTime.LocalDate(instant);
        var days = await app.Services.GetRequiredService<Driftvy.Web.History.IContactHistory>().ReadDaysAsync(day, day.AddDays(1), ct);
        return days.Where(d => d.Queue == queue).Sum(d => d.Tally.Offered);
    }

    /// <summary>A contacts CSV of <paramref name="count"/> answered calls on kc-stockholm, starting at <paramref name="from"/>.</summary>
    public static string ContactsCsv(int count, DateTimeOffset from, string prefix = "c")
    {
        var sb = new StringBuilder("contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact\n");
        for (var i = 0; i < count; i++)
        {
            var offered = from.AddSeconds(i % 3600);
            sb.Append(CultureInfo.InvariantCulture, $"{prefix}{i},phone,kc-stockholm,{offered:yyyy-MM-ddTHH:mm:sszzz},{offered.AddSeconds(30):yyyy-MM-ddTHH:mm:sszzz},,{offered.AddSeconds(200):yyyy-MM-ddTHH:mm:sszzz},true\n");
        }

        return sb.ToString();
    }
}

/// <summary>Reports progress on the caller's thread (Progress&lt;T&gt; would post to the thread pool, too late to cancel halfway).</summary>
internal sealed class InlineProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
{
    public void Report(ImportProgress value) => report(value);
}
