namespace Driftvy.Domain.Kpis;

/// <summary>What a formula produced before it is wrapped with provenance: a value or the reason there is none.</summary>
internal readonly record struct Measure(
    double? Value, double? Numerator, double? Denominator, string? NoValueReason, long? LeftOut = null, string? LeftOutNote = null, NoValueCause? Cause = null)
{
    public static Measure None(string reason, double? numerator = null, double? denominator = null, NoValueCause? cause = null) =>
        new(null, numerator, denominator, reason, Cause: cause);

    /// <summary>A percentage 100·n/d, or no value when the denominator is zero.</summary>
    public static Measure Percent(double numerator, double denominator, string zeroReason) =>
        denominator > 0 ? new(100 * numerator / denominator, numerator, denominator, null) : None(zeroReason, numerator, denominator);

    public static Measure Ratio(double numerator, double denominator, string zeroReason) =>
        denominator > 0 ? new(numerator / denominator, numerator, denominator, null) : None(zeroReason, numerator, denominator);
}
