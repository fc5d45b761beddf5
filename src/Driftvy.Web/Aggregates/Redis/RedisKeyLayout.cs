using System.Globalization;

namespace Driftvy.Web.Aggregates.Redis;

/// <summary>
/// Where the aggregates live in Redis, every key under <c>Aggregates:KeyPrefix</c>: one hash per bucket
/// (<c>t:{queue}:{m|q|d}:{label}</c>), a day's quarter index (<c>qi:{queue}:{yyyyMMdd}</c>), the latest queue state
/// (<c>live:{queue}</c>), and the store's marks (<c>watermark</c>, <c>generation</c>, <c>layout</c>).
/// </summary>
internal sealed class RedisKeyLayout(string prefix)
{
    /// <summary>
    /// The layout this code writes and reads. A store written by an earlier layout (its watermark set, its layout
    /// not this one) is rebuilt at start-up.
    /// </summary>
    /// <remarks>
    /// 2: each day's quarter hours also counted in one index hash per queue and day. 3: waits also summed per block of
    /// ten seconds (see <see cref="TallyHash"/>).
    /// </remarks>
    public const int Version = 3;

    public string Prefix { get; } = prefix;

    /// <summary>The highest fact sequence folded; moves with every fold, in the fold's own script.</summary>
    public string Watermark { get; } = prefix + "watermark";

    /// <summary>Changes on every clear, so that readers' caches of buckets let go.</summary>
    public string Generation { get; } = prefix + "generation";

    /// <summary>The <see cref="Version"/> that wrote the store.</summary>
    public string Layout { get; } = prefix + "layout";

    public string Tally(BucketKey key) => string.Create(CultureInfo.InvariantCulture,
        $"{Prefix}t:{key.Queue}:{GranularityCode(key.Granularity)}:{key.Label}");

    public string Snapshot(string queue) => Prefix + "live:" + queue;

    /// <summary>A day's quarter-hour index: one field per quarter with contacts (its label), its offered count.</summary>
    public string QuarterIndex(string queue, DateOnly day) => string.Create(CultureInfo.InvariantCulture,
        $"{Prefix}qi:{queue}:{BucketKey.ForDay(queue, day).Label}");

    /// <summary>What a quarter's label follows in its key (see <see cref="Tally"/>): the query script appends labels to it.</summary>
    public string QuarterPrefix(string queue) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}t:{queue}:q:");

    public static string QuarterLabel(DateTimeOffset start) => new BucketKey(string.Empty, Granularity.Quarter, start).Label;

    public static DateTimeOffset ParseQuarterLabel(string label) =>
        new(DateTime.ParseExact(label, "yyyyMMddHHmm", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    private static char GranularityCode(Granularity g) => g switch
    {
        Granularity.Minute => 'm',
        Granularity.Quarter => 'q',
        _ => 'd',
    };
}
