using Driftvy.Web.Sources.QueueLog;

namespace Driftvy.Web.Tests.Sources.QueueLog;

/// <summary>The queue_log grammar and the calls it makes, without a host.</summary>
public sealed class QueueLogCallsTests
{
    private static List<QueueLogCall> Feed(QueueLogCalls calls, params string[] lines)
    {
        var ended = new List<QueueLogCall>();
        var n = 0;
        foreach (var line in lines)
        {
            Assert.True(QueueLogLine.TryParse(line, out var e, out var problem), problem);
            calls.Feed(e, ++n, ended);
        }

        return ended;
    }

    [Fact]
    public void Feed_OlderAndNewerLayouts_SameCall()
    {
        string[] older = ["1000|1.1|600|NONE|ENTERQUEUE||0701234567", "1012|1.1|600|SIP/201|CONNECT|12|1.2", "1100|1.1|600|SIP/201|COMPLETECALLER|12|88|1"];
        string[] newer = ["1000|1.1|600|NONE|ENTERQUEUE||0701234567|1||", "1012|1.1|600|SIP/201|CONNECT|12|1.2|3||", "1100|1.1|600|SIP/201|COMPLETECALLER|12|88|1||"];

        var a = Assert.Single(Feed(new QueueLogCalls(), older));
        var b = Assert.Single(Feed(new QueueLogCalls(), newer));

        Assert.Equal(a with { Line = 0 }, b with { Line = 0 });
        Assert.Equal(("1.1@600", 1000L, 1012L, 1100L, "0701234567"), (a.ContactId, a.Offered.ToUnixTimeSeconds(), a.Answered!.Value.ToUnixTimeSeconds(), a.Ended!.Value.ToUnixTimeSeconds(), a.Caller));
    }

    [Fact]
    public void Feed_EachUnansweredEnding_AbandonedAfterItsWait()
    {
        var calls = new QueueLogCalls();
        var ended = Feed(
            calls,
            "1000|a|600|NONE|ENTERQUEUE||070", "1004|a|600|NONE|ABANDON|1|1|4",
            "1000|b|600|NONE|ENTERQUEUE||070", "1090|b|600|NONE|EXITWITHTIMEOUT|1", // older layout: position only, wait from the times
            "1000|c|600|NONE|ENTERQUEUE||070", "1030|c|600|NONE|EXITWITHKEY|5|1|1|30",
            "1000|d|600|NONE|ENTERQUEUE||070", "1002|d|600|NONE|EXITEMPTY|1|1|2");

        Assert.Equal([4.0, 90, 30, 2], ended.Select(c => (c.Abandoned!.Value - c.Offered).TotalSeconds));
        Assert.All(ended, c => Assert.Null(c.Answered));
        Assert.Equal(0, calls.OpenCalls);
    }

    [Fact]
    public void Feed_TransfersAndRingRounds_AnsweredOnceEndedByTheTransfer()
    {
        var calls = new QueueLogCalls();
        var ended = Feed(
            calls,
            "1000|a|600|NONE|ENTERQUEUE||070", "1015|a|600|SIP/202|RINGNOANSWER|15000", "1040|a|600|SIP/201|CONNECT|40|x|3",
            "1200|a|600|SIP/201|BLINDTRANSFER|250|from-internal|40|160|1",
            "1000|b|600|NONE|ENTERQUEUE||070", "1070|b|600|SIP/201|CONNECT|70|y|3", "1300|b|600|SIP/201|ATTENDEDTRANSFER|BRIDGE|z|70|230|1");

        Assert.Equal([(40.0, 160.0), (70, 230)], ended.Select(c => ((c.Answered!.Value - c.Offered).TotalSeconds, (c.Ended!.Value - c.Answered.Value).TotalSeconds)));
        Assert.Equal(1, calls.Counts.RingNoAnswer);
    }

    [Fact]
    public void Feed_CallStillWaiting_CarriedInTheStateAndEndedByTheNextPiece()
    {
        var first = new QueueLogCalls();
        Assert.Empty(Feed(first, "1000|a|600|NONE|ENTERQUEUE||0701234567", "1001|NONE|NONE|NONE|QUEUESTART|", "1002|NONE|NONE|NONE|CONFIGRELOAD|"));
        var state = System.Text.Json.JsonSerializer.Deserialize<QueueLogCallState>(System.Text.Json.JsonSerializer.Serialize(first.State));

        var second = new QueueLogCalls(state);
        var call = Assert.Single(Feed(second, "1025|a|600|SIP/201|CONNECT|25|x|2", "1200|a|600|SIP/201|COMPLETEAGENT|25|175|1"));

        Assert.Equal((1000L, 25.0), (call.Offered.ToUnixTimeSeconds(), (call.Answered!.Value - call.Offered).TotalSeconds));
        Assert.Equal(2, first.Counts.Restarts);
        Assert.DoesNotContain("0701234567", System.Text.Json.JsonSerializer.Serialize(first.State), StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_MembersPausedBusyAndWaitingCalls_CountedPerQueue()
    {
        var calls = new QueueLogCalls();
        Feed(
            calls,
            "900|NONE|600|SIP/201|ADDMEMBER|", "900|NONE|600|SIP/202|ADDMEMBER|", "900|NONE|600|SIP/203|ADDMEMBER|",
            "950|NONE|600|SIP/203|PAUSE|lunch", "1000|a|600|NONE|ENTERQUEUE||070", "1010|b|600|NONE|ENTERQUEUE||070",
            "1020|a|600|SIP/201|CONNECT|20|x|1", "1030|c|600|NONE|ENTERQUEUE||070", "1031|NONE|600|SIP/999|FOOBAR|x");

        var s = calls.Snapshot("600", DateTimeOffset.FromUnixTimeSeconds(1040));

        Assert.Equal((2, 30, 1, 1, 1), s); // waiting b and c (b for 30 s); 202 available, 201 busy, 203 paused
        Assert.Equal(1, calls.Counts.Unknown["FOOBAR"]);
    }

    [Theory]
    [InlineData("1000|a|600|NONE")]
    [InlineData("yesterday|a|600|NONE|ENTERQUEUE||070")]
    [InlineData("1000|a|600|NONE||x")]
    public void TryParse_MalformedLine_SaysWhy(string line)
    {
        Assert.False(QueueLogLine.TryParse(line, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }
}
