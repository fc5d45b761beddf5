using Driftvy.Domain.Kpis;

namespace Driftvy.Domain.Contacts;

/// <summary>
/// Contact-centre formulas, all computed from a <see cref="ContactTally"/> so that the aggregate stores'
/// tallies give the same numbers as the raw contacts. A short abandon is an abandoned contact whose wait
/// is at most the threshold (wait == threshold is short).
/// </summary>
internal static class ContactFormulas
{
    public static long ShortAbandons(ContactTally t, int shortAbandonSeconds) => t.AbandonedWithin(shortAbandonSeconds);

    public static (double Numerator, double Denominator) ServiceLevelParts(
        ContactTally t, int thresholdSeconds, int shortAbandonSeconds, ServiceLevelVariant variant) => variant switch
    {
        ServiceLevelVariant.AnsweredOnly => (t.AnsweredWithin(thresholdSeconds), t.Answered),
        ServiceLevelVariant.AbandonsFail => (t.AnsweredWithin(thresholdSeconds), t.Answered + t.Abandoned),
        ServiceLevelVariant.AbandonsFailExclShort =>
            (t.AnsweredWithin(thresholdSeconds), t.Answered + t.Abandoned - ShortAbandons(t, shortAbandonSeconds)),
        ServiceLevelVariant.RemovedWithin =>
            (t.AnsweredWithin(thresholdSeconds) + t.AbandonedWithin(thresholdSeconds), t.Offered),
        ServiceLevelVariant.AnsweredOrAbandonedWithin =>
            (t.AnsweredWithin(thresholdSeconds) + t.AbandonedWithin(thresholdSeconds), t.Answered + t.Abandoned),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown service-level variant"),
    };

    public static (double Numerator, double Denominator) AnswerRateParts(ContactTally t, int shortAbandonSeconds) =>
        (t.Answered, t.Offered - ShortAbandons(t, shortAbandonSeconds));

    public static (double Numerator, double Denominator) AbandonmentRateParts(ContactTally t, int shortAbandonSeconds)
    {
        var shortOnes = ShortAbandons(t, shortAbandonSeconds);
        return (t.Abandoned - shortOnes, t.Offered - shortOnes);
    }

    public static (double Numerator, double Denominator, long Unflagged) FirstContactResolutionParts(ContactTally t) =>
        (t.FcrResolved, t.FcrFlagged, t.FcrUnflagged);

    public static Measure AverageSpeedOfAnswer(ContactTally t) =>
        Measure.Ratio(t.AnsweredWaitSecondsSum, t.Answered, "no answered contacts, so there is no wait to average");

    public static Measure AverageHandleTime(ContactTally t) =>
        Measure.Ratio(t.HandleSecondsSum, t.HandledCount, "no answered contacts with an end time, so there is no handle time to average");

    public static Measure WaitPercentile(ContactTally t, double percentile) =>
        t.AnsweredWaitPercentile(percentile) is { } s
            ? new Measure(s, null, t.Answered, null)
            : Measure.None("no answered contacts, so there is no wait distribution");
}
