using Driftvy.Domain.Contacts;

namespace Driftvy.Domain.Tests.Contacts;

public sealed class ContactTallyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1));

    private static ContactRecord Answered(double waitSeconds, double handleSeconds = 120, bool? fcr = null) =>
        new(Guid.NewGuid().ToString(), Channel.Phone, "kc", T0, T0.AddSeconds(waitSeconds),
            null, T0.AddSeconds(waitSeconds + handleSeconds), fcr);

    private static ContactRecord Abandoned(double waitSeconds) =>
        new(Guid.NewGuid().ToString(), Channel.Phone, "kc", T0, null, T0.AddSeconds(waitSeconds), null, null);

    [Fact]
    public void WaitBucket_FractionalSecond_RoundsUp()
    {
        Assert.Equal(61, ContactTally.WaitBucket(TimeSpan.FromSeconds(60.4)));
        Assert.Equal(60, ContactTally.WaitBucket(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, ContactTally.WaitBucket(TimeSpan.FromSeconds(-3)));
    }

    [Fact]
    public void AnsweredWithin_WaitOfExactlyX_CountsAndFractionAboveDoesNot()
    {
        var t = new ContactTally();
        t.Add(Answered(60));
        t.Add(Answered(60.4));
        t.Add(Answered(10));

        Assert.Equal(2, t.AnsweredWithin(60));
        Assert.Equal(3, t.AnsweredWithin(61));
    }

    [Fact]
    public void ProjectOnto_Thresholds_KeepsCountsWithinEachThresholdAndEverySum()
    {
        ContactRecord[] contacts = [Answered(0.2), Answered(20), Answered(20.5), Answered(60), Answered(61), Answered(400, fcr: true), Abandoned(3), Abandoned(5), Abandoned(6), Abandoned(90)];
        var full = new ContactTally();
        foreach (var c in contacts)
        {
            full.Add(c);
        }

        var projected = full.ProjectOnto([5, 20, 60]);

        foreach (var x in new[] { 5, 20, 60 })
        {
            Assert.True(full.AnsweredWithin(x) == projected.AnsweredWithin(x), $"answered within {x}");
            Assert.True(full.AbandonedWithin(x) == projected.AbandonedWithin(x), $"abandoned within {x}");
        }

        Assert.Equal((full.Offered, full.Answered, full.Abandoned, full.FcrFlagged, full.FcrResolved, full.HandledCount), (projected.Offered, projected.Answered, projected.Abandoned, projected.FcrFlagged, projected.FcrResolved, projected.HandledCount));
        Assert.Equal(full.AnsweredWaitSecondsSum, projected.AnsweredWaitSecondsSum);
        Assert.Equal(full.HandleSecondsSum, projected.HandleSecondsSum);
        Assert.Equal([5, 20, 60, int.MaxValue], projected.AnsweredWaits.Keys);
        Assert.Equal(2, projected.AnsweredWaits[int.MaxValue]);
    }

    [Fact]
    public void ProjectOnto_NoThresholds_KeepsCountsAndSumsOnly()
    {
        var full = new ContactTally();
        full.Add(Answered(12));
        full.Add(Abandoned(70));

        var projected = full.ProjectOnto([]);

        Assert.Equal(2, projected.Offered);
        Assert.Equal(12, projected.AnsweredWaitSecondsSum);
        Assert.Equal([int.MaxValue], projected.AnsweredWaits.Keys);
        Assert.Equal([int.MaxValue], projected.AbandonedWaits.Keys);
    }

    [Fact]
    public void Merge_TwoHalves_EqualsTallyOfTheWhole()
    {
        ContactRecord[] contacts = [Answered(5, fcr: true), Answered(70, fcr: false), Abandoned(3), Abandoned(40), Answered(20)];
        var whole = new ContactTally();
        var left = new ContactTally();
        var right = new ContactTally();
        for (var i = 0; i < contacts.Length; i++)
        {
            whole.Add(contacts[i]);
            (i % 2 == 0 ? left : right).Add(contacts[i]);
        }

        left.Merge(right);

        Assert.Equal(whole.Offered, left.Offered);
        Assert.Equal(whole.Answered, left.Answered);
        Assert.Equal(whole.Abandoned, left.Abandoned);
        Assert.Equal(whole.AnsweredWaitSecondsSum, left.AnsweredWaitSecondsSum, 9);
        Assert.Equal(whole.FcrFlagged, left.FcrFlagged);
        Assert.Equal(whole.FcrResolved, left.FcrResolved);
        Assert.Equal(whole.AnsweredWaits, left.AnsweredWaits);
        Assert.Equal(whole.AbandonedWaits, left.AbandonedWaits);
        Assert.Equal(1, left.FcrUnflagged);
    }
}
