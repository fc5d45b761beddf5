using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Domain.Tests.Kpis;

namespace Driftvy.Domain.Tests.Contacts;

public sealed class ContactKpiTests
{
    private static readonly TimeSpan Cet = TimeSpan.FromHours(1);
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, Cet);
    private static readonly Period March2 = Period.Day(new DateOnly(2026, 3, 2));
    internal static ContactRecord Answered(double wait, string queue = "kc-stockholm", DateTimeOffset? at = null, bool? fcr = null, double handle = 120)
    {
        var offered = at ?? T0;
        return new(NextId(), Channel.Phone, queue, offered, offered.AddSeconds(wait), null, offered.AddSeconds(wait + handle), fcr);
    }

    internal static ContactRecord Abandoned(double wait, string queue = "kc-stockholm", DateTimeOffset? at = null)
    {
        var offered = at ?? T0;
        return new(NextId(), Channel.Phone, queue, offered, null, offered.AddSeconds(wait), null, null);
    }

    private static string NextId() => Guid.NewGuid().ToString("N");

    // Answered 10, 30, 70 s; abandoned 3, 5 (short: exactly the threshold), 6 and 100 s.
    private static KpiInputs Sample() => new()
    {
        Contacts = ContactTallies.ForPeriod(
            [Answered(10), Answered(30), Answered(70), Abandoned(3), Abandoned(5), Abandoned(6), Abandoned(100)], March2),
    };

    private static double? Eval(string kpi, KpiInputs inputs, Period? period = null, KpiScope? scope = null) =>
        SeedFiles.Engine().Evaluate(kpi, period ?? March2, inputs, scope).Value;

    [Fact]
    public void ServiceLevel_AbandonAtExactlyFiveSeconds_IsShortAndLeftOut()
    {
        var v = SeedFiles.Engine().Evaluate("kc_answered_within_1_min", March2, Sample());

        // 2 answered within 60 s ÷ (3 answered + 2 abandoned after more than 5 s).
        Assert.Equal(2, v.Numerator);
        Assert.Equal(5, v.Denominator);
        Assert.Equal(40, v.Value!.Value, 9);
        Assert.Contains("v1", v.Provenance, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("answered_only", 200.0 / 3)]
    [InlineData("abandons_fail", 200.0 / 7)]
    [InlineData("abandons_fail_excl_short", 40.0)]
    [InlineData("removed_within", 500.0 / 7)]
    [InlineData("answered_or_abandoned_within", 500.0 / 7)]
    public void ServiceLevel_EachVariant_MatchesHandCount(string variant, double expected)
    {
        var catalog = KpiCatalog.Parse(InlineCatalog.ServiceLevel(variant));
        var engine = new KpiEngine(catalog, new WorkingCalendar());

        Assert.Equal(expected, engine.Evaluate("sl", March2, Sample()).Value!.Value, 9);
    }

    [Fact]
    public void AsteriskServiceLevels_CallStillWaiting_CountsInNeitherPart()
    {
        // The sample plus one call still waiting: Asterisk's SL and SL2 leave it out; removed_within counts it as offered.
        var waiting = new ContactRecord("still-waiting", Channel.Phone, "kc-stockholm", T0, null, null, null, null);
        var inputs = new KpiInputs
        {
            Contacts = ContactTallies.ForPeriod(
                [Answered(10), Answered(30), Answered(70), Abandoned(3), Abandoned(5), Abandoned(6), Abandoned(100), waiting], March2),
        };

        var sl = SeedFiles.Engine().Evaluate("kc_asterisk_sl", March2, inputs);
        var sl2 = SeedFiles.Engine().Evaluate("kc_asterisk_sl2", March2, inputs);
        var removed = new KpiEngine(KpiCatalog.Parse(InlineCatalog.ServiceLevel("removed_within")), new WorkingCalendar()).Evaluate("sl", March2, inputs);

        // SL: answered within 60 s ÷ answered. SL2: (2 answered + 3 abandoned within 60 s) ÷ (3 answered + 4 abandoned).
        Assert.Equal(2, sl.Numerator);
        Assert.Equal(3, sl.Denominator);
        Assert.Equal(5, sl2.Numerator);
        Assert.Equal(7, sl2.Denominator);
        Assert.Equal(8, removed.Denominator);
        Assert.Contains("v1", sl2.Provenance, StringComparison.Ordinal);
    }

    [Fact]
    public void AnswerAndAbandonmentRate_ShortAbandonsLeftOutOfBothSides()
    {
        Assert.Equal(60, Eval("kc_answer_rate", Sample())!.Value, 9); // 3 ÷ (7 − 2)
        Assert.Equal(40, Eval("kc_abandonment_rate", Sample())!.Value, 9); // (4 − 2) ÷ (7 − 2)
    }

    [Fact]
    public void WaitStatistics_ThreeAnswered_MeanMedianP90AndHandleTime()
    {
        Assert.Equal(110.0 / 3, Eval("kc_asa", Sample())!.Value, 9);
        Assert.Equal(30, Eval("kc_wait_median", Sample()));
        Assert.Equal(70, Eval("kc_wait_p90", Sample()));
        Assert.Equal(120, Eval("kc_aht", Sample())!.Value, 9);
    }

    [Fact]
    public void FirstContactResolution_UnflaggedContacts_LeftOutAndCounted()
    {
        var inputs = new KpiInputs
        {
            Contacts = ContactTallies.ForPeriod(
                [Answered(5, fcr: true), Answered(5, fcr: true), Answered(5, fcr: false), Answered(5), Answered(5), Abandoned(40)], March2),
        };

        var v = SeedFiles.Engine().Evaluate("kc_first_contact_resolution", March2, inputs);

        Assert.Equal(200.0 / 3, v.Value!.Value, 9);
        Assert.Equal(2, v.LeftOut);
        Assert.Contains("2 answered", v.LeftOutNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CallOfferedJustBeforeMidnight_BelongsToTheOfferedDay()
    {
        var late = new DateTimeOffset(2026, 3, 2, 23, 59, 50, Cet);
        ContactRecord[] contacts = [Answered(30, at: late)];

        var day1 = SeedFiles.Engine().Evaluate("kc_answered_within_1_min", March2, new KpiInputs { Contacts = ContactTallies.ForPeriod(contacts, March2) });
        var march3 = Period.Day(new DateOnly(2026, 3, 3));
        var day2 = SeedFiles.Engine().Evaluate("kc_answered_within_1_min", march3, new KpiInputs { Contacts = ContactTallies.ForPeriod(contacts, march3) });

        Assert.Equal(100, day1.Value);
        Assert.Null(day2.Value);
    }

    [Fact]
    public void Evaluate_EmptyPeriod_NoValueWithReasonNotZero()
    {
        var v = SeedFiles.Engine().Evaluate("kc_answered_within_1_min", March2, new KpiInputs());

        Assert.Null(v.Value);
        Assert.False(v.HasValue);
        Assert.Contains("no contacts offered", v.NoValueReason, StringComparison.Ordinal);
        Assert.Null(SeedFiles.Engine().Evaluate("kc_first_contact_resolution", March2, Sample()).Value);
        Assert.NotNull(SeedFiles.Engine().Evaluate("kc_first_contact_resolution", March2, Sample()).NoValueReason);
    }

    [Fact]
    public void Evaluate_OnlyShortAbandons_NoValueRatherThanZero()
    {
        var inputs = new KpiInputs { Contacts = ContactTallies.ForPeriod([Abandoned(2), Abandoned(5)], March2) };

        var v = SeedFiles.Engine().Evaluate("kc_answer_rate", March2, inputs);

        Assert.Null(v.Value);
        Assert.Contains("short abandon", v.NoValueReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_GroupWithPerQueueThreshold_SumsEachQueuesOwnParts()
    {
        var engine = new KpiEngine(KpiCatalog.Parse(InlineCatalog.GroupWithOverride), new WorkingCalendar());
        var inputs = new KpiInputs
        {
            Contacts = ContactTallies.ForPeriod(
            [
                Answered(20, "kc-stockholm"), Abandoned(8, "kc-stockholm"), // kc: short ≤ 5 → 1 ÷ 2
                Answered(20, "aldre-direkt"), Abandoned(8, "aldre-direkt"), // äd: short ≤ 10 → 1 ÷ 1
            ], March2),
        };

        var group = engine.Evaluate("sl", March2, inputs);
        var aldre = engine.Evaluate("sl", March2, inputs, new KpiScope(Queues: ["aldre-direkt"]));

        Assert.Equal(2, group.Numerator);
        Assert.Equal(3, group.Denominator);
        Assert.Equal(100, aldre.Value);
        Assert.Contains("aldre-direkt", group.FormulaEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ChannelScope_CountsOnlyThatChannel()
    {
        var mail = Answered(500) with { Channel = Channel.Email };
        var inputs = new KpiInputs { Contacts = ContactTallies.ForPeriod([Answered(10), mail], March2) };

        Assert.Equal(50, Eval("kc_answered_within_1_min", inputs));
        Assert.Equal(100, Eval("kc_answered_within_1_min", inputs, scope: new KpiScope(Channel: Channel.Phone)));
        Assert.Equal(0, Eval("kc_answered_within_1_min", inputs, scope: new KpiScope(Channel: Channel.Email)));
    }

    [Fact]
    public void Evaluate_TallyFromCountersEqualsTallyFromContacts()
    {
        var fromContacts = Sample().Contacts.Single().Tally;
        var t = fromContacts;
        var rebuilt = ContactTally.FromCounters(t.Offered, t.Answered, t.Abandoned, t.AnsweredWaitSecondsSum, t.HandledCount,
            t.HandleSecondsSum, t.FcrFlagged, t.FcrResolved, t.AnsweredWaits, t.AbandonedWaits);
        var inputs = new KpiInputs { Contacts = [new QueueTally("kc-stockholm", null, rebuilt)] };

        Assert.Equal(40, Eval("kc_answered_within_1_min", inputs)!.Value, 9);
    }

    [Fact]
    public void Evaluate_QueueOutsidePopulation_ThrowsNamingQueue() =>
        Assert.Contains("lon-pension", Assert.Throws<ArgumentException>(
            () => SeedFiles.Engine().Evaluate("kc_answer_rate", March2, Sample(), new KpiScope(Queues: ["lon-pension"]))).Message, StringComparison.Ordinal);
}
