using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Driftvy.Domain.Contacts;
using StackExchange.Redis;

namespace Driftvy.Web.Aggregates.Redis;

/// <summary>
/// Reads tally queries and quarter-hour charts through one call of <c>query.lua</c>, fetching whole hashes (full
/// histograms) right after it.
/// </summary>
/// <remarks>
/// Whole hashes are not passed through the script: it says which moved, with the generation and the watermark, and
/// they are fetched right after with the watermark and generation read again. Every fold moves the watermark and every
/// clear the generation, so if neither moved, nothing changed between the two steps and the answer is as of one
/// moment. If something did, the read starts again; the last attempt has the script return the hashes itself.
/// </remarks>
internal sealed class RedisTallyReader(RedisKeyLayout keys)
{
    private const int Attempts = 3;

    private static readonly ConcurrentDictionary<string, RedisValue[]?> ProjectionFieldNames = new(StringComparer.Ordinal);

    // A caller holds on to its known counts between reads (a screen's chart), so each is formatted once.
    private static readonly ConditionalWeakTable<IReadOnlyDictionary<DateTimeOffset, long>, string> KnownText = new();

    public async Task<TallyRead> ReadAsync(IDatabaseAsync db, IReadOnlyList<TallyQuery> queries, IReadOnlyList<QuarterQuery> charts, CancellationToken cancellationToken)
    {
        if (queries.Count == 0 && charts.Count == 0)
        {
            return new TallyRead(0, []);
        }

        var request = BuildRequest(queries, charts);
        for (var attempt = 1; ; attempt++)
        {
            var inline = attempt == Attempts;
            request.Args[1] = inline ? 1 : 0;
            var parts = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.Query, request.Keys, [.. request.Args]).WaitAsync(cancellationToken).ConfigureAwait(false))!;
            var fetches = new List<Fetch>();
            var tallies = ReadQueries(parts, queries, request.QuerySets, inline, fetches);
            var (chartReads, moved) = ReadCharts(parts, queries.Count, charts, request.ChartSets, inline, fetches);
            if (fetches.Count > 0 && !await FetchWholeHashesAsync(db, parts, fetches, queries, charts, tallies, moved, cancellationToken).ConfigureAwait(false))
            {
                // A fold or a clear came between the two steps.
                continue;
            }

            return new TallyRead((long)parts[0], tallies) { Charts = chartReads };
        }
    }

    /// <summary>The script's keys and arguments; each field set is sent once however many queries use it.</summary>
    private Request BuildRequest(IReadOnlyList<TallyQuery> queries, IReadOnlyList<QuarterQuery> charts)
    {
        var sets = new List<RedisValue[]>();
        int SetOf(IReadOnlyList<int>? thresholds)
        {
            if (thresholds is null || ProjectionFieldsOf(thresholds) is not { } fields)
            {
                return 0;
            }

            var at = sets.IndexOf(fields);
            if (at < 0)
            {
                sets.Add(fields);
                at = sets.Count - 1;
            }

            return at + 1;
        }

        var querySets = queries.Select(q => SetOf(q.Thresholds)).ToArray();
        var chartSets = charts.Select(c => c.CountsOnly ? 0 : SetOf(c.Thresholds)).ToArray();
        var scriptKeys = new RedisKey[2 + queries.Sum(q => q.Buckets.Count) + (2 * charts.Count)];
        var args = new List<RedisValue>(3 + sets.Sum(f => f.Length + 1) + (queries.Count * 3) + (charts.Count * 5)) { queries.Count, 0, sets.Count };
        foreach (var fields in sets)
        {
            args.Add(fields.Length);
            args.AddRange(fields);
        }

        scriptKeys[0] = keys.Generation;
        scriptKeys[1] = keys.Watermark;
        var k = 2;
        for (var q = 0; q < queries.Count; q++)
        {
            foreach (var key in queries[q].Buckets)
            {
                scriptKeys[k++] = keys.Tally(key);
            }

            args.Add(queries[q].Buckets.Count);
            args.Add(queries[q].UnlessOffered ?? -1);
            args.Add(querySets[q]);
        }

        for (var c = 0; c < charts.Count; c++)
        {
            var chart = charts[c];
            scriptKeys[k++] = keys.QuarterIndex(chart.Queue, chart.Day);
            scriptKeys[k++] = keys.Tally(BucketKey.ForDay(chart.Queue, chart.Day));
            args.Add(chart.UnlessOffered ?? -1);
            args.Add(chart.CountsOnly ? 1 : 0);
            args.Add(keys.QuarterPrefix(chart.Queue));
            args.Add(chart.Known is { } known ? KnownText.GetValue(known, FormatKnown) : string.Empty);
            args.Add(chartSets[c]);
        }

        return new Request(scriptKeys, args, querySets, chartSets);
    }

    private ContactTally?[] ReadQueries(RedisResult[] parts, IReadOnlyList<TallyQuery> queries, int[] querySets, bool inline, List<Fetch> fetches)
    {
        var tallies = new ContactTally?[queries.Count];
        for (var q = 0; q < queries.Count; q++)
        {
            var part = parts[2 + q];
            if (part.IsNull)
            {
                continue;
            }

            if (querySets[q] > 0)
            {
                tallies[q] = TallyHash.FromProjectionFields((RedisValue[])part!, queries[q].Thresholds!);
            }
            else if (!inline && queries[q].Buckets.Count == 1)
            {
                fetches.Add(new Fetch(keys.Tally(queries[q].Buckets[0]), q, -1, default));
            }
            else
            {
                // A whole hash, or several summed: projected here if the query asks for it.
                tallies[q] = TallyHash.FromFields((RedisValue[])part!, queries[q].Thresholds);
            }
        }

        return tallies;
    }

    private (QuarterRead?[] Reads, Dictionary<DateTimeOffset, ContactTally>[] Moved) ReadCharts(
        RedisResult[] parts, int queryCount, IReadOnlyList<QuarterQuery> charts, int[] chartSets, bool inline, List<Fetch> fetches)
    {
        var reads = new QuarterRead?[charts.Count];
        var moved = new Dictionary<DateTimeOffset, ContactTally>[charts.Count];
        for (var c = 0; c < charts.Count; c++)
        {
            var part = parts[2 + queryCount + c];
            if (part.IsNull)
            {
                continue;
            }

            var items = (RedisResult[])part!;
            var index = (RedisValue[])items[0]!;
            var offered = new Dictionary<DateTimeOffset, long>(index.Length / 2);
            for (var i = 0; i < index.Length; i += 2)
            {
                offered[RedisKeyLayout.ParseQuarterLabel(index[i]!)] = (long)index[i + 1];
            }

            moved[c] = new Dictionary<DateTimeOffset, ContactTally>(items.Length);
            var withValues = chartSets[c] > 0 || inline;
            for (var i = 1; i < items.Length; i += withValues ? 2 : 1)
            {
                var quarter = RedisKeyLayout.ParseQuarterLabel((string)items[i]!);
                if (chartSets[c] > 0)
                {
                    moved[c][quarter] = TallyHash.FromProjectionFields((RedisValue[])items[i + 1]!, charts[c].Thresholds!);
                }
                else if (inline)
                {
                    moved[c][quarter] = TallyHash.FromFields((RedisValue[])items[i + 1]!, charts[c].Thresholds);
                }
                else
                {
                    fetches.Add(new Fetch(keys.QuarterPrefix(charts[c].Queue) + (string)items[i]!, -1, c, quarter));
                }
            }

            reads[c] = new QuarterRead(offered, moved[c]);
        }

        return (reads, moved);
    }

    /// <summary>
    /// Fetches the whole hashes the script only named (full histograms, or thresholds too high for a field set);
    /// false when a fold or a clear came in between, so the read must start again.
    /// </summary>
    private async Task<bool> FetchWholeHashesAsync(
        IDatabaseAsync db, RedisResult[] parts, List<Fetch> fetches, IReadOnlyList<TallyQuery> queries, IReadOnlyList<QuarterQuery> charts,
        ContactTally?[] tallies, Dictionary<DateTimeOffset, ContactTally>[] moved, CancellationToken cancellationToken)
    {
        var hashes = fetches.Select(f => db.HashGetAllAsync(f.Key)).ToArray();
        var generation = db.StringGetAsync(keys.Generation);
        var watermark = db.StringGetAsync(keys.Watermark);
        await Task.WhenAll(Task.WhenAll(hashes), generation, watermark).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!SameValue(await generation.ConfigureAwait(false), parts[0]) || !SameValue(await watermark.ConfigureAwait(false), parts[1]))
        {
            return false;
        }

        for (var f = 0; f < fetches.Count; f++)
        {
            var (_, query, chart, quarter) = fetches[f];
            var entries = await hashes[f].ConfigureAwait(false);
            var tally = TallyHash.FromFields(TallyHash.Flatten(entries), query >= 0 ? queries[query].Thresholds : charts[chart].Thresholds);
            if (query >= 0)
            {
                tallies[query] = tally;
            }
            else
            {
                moved[chart][quarter] = tally;
            }
        }

        return true;
    }

    private static RedisValue[]? ProjectionFieldsOf(IReadOnlyList<int> thresholds) =>
        ProjectionFieldNames.GetOrAdd(string.Join(',', thresholds), _ => TallyHash.ProjectionFields(thresholds));

    private static bool SameValue(RedisValue value, RedisResult scripted) => (value.IsNull ? "0" : (string)value!) == (string)scripted!;

    private static string FormatKnown(IReadOnlyDictionary<DateTimeOffset, long> known) =>
        string.Join(',', known.Select(q => string.Create(CultureInfo.InvariantCulture, $"{RedisKeyLayout.QuarterLabel(q.Key)}={q.Value}")));

    private sealed record Request(RedisKey[] Keys, List<RedisValue> Args, int[] QuerySets, int[] ChartSets);

    /// <summary>A whole hash to fetch after the script: for a tally query (<c>Query</c> ≥ 0) or a chart's quarter.</summary>
    private readonly record struct Fetch(RedisKey Key, int Query, int Chart, DateTimeOffset Quarter);
}
