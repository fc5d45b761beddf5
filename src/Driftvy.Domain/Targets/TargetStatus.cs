using System.Globalization;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;

namespace Driftvy.Domain.Targets;

/// <summary>An annual target turned into the target of one period.</summary>
public sealed record DerivedTarget(
    Target Annual, Period Period, double Value, double? BandLow, double? BandHigh, double Tolerance, double Factor, string DerivationEn);

public enum TargetStatus
{
    NoValue,
    OnTarget,
    WithinTolerance,
    OffTarget,
}

/// <summary>
/// Status against a target. <see cref="Gap"/> is in the KPI's unit and signed so that positive is better
/// than the target and negative is a shortfall (for a band: 0 inside, minus the distance outside).
/// </summary>
public sealed record TargetStatusResult(TargetStatus Status, double? Value, DerivedTarget Target, double? Gap, string Explanation);

public static class TargetEvaluation
{
    /// <summary>
    /// The target for a period: the same value for rates (<see cref="TargetDerivation.SameRatio"/>); for volumes
    /// the annual figure times the period's share of the year, by whole months (a partial month by its share
    /// of days) or by <paramref name="monthlyProfile"/> (12 weights, January first).
    /// </summary>
    public static DerivedTarget Derive(Target target, KpiVersion version, Period period, IReadOnlyList<double>? monthlyProfile = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(period);
        if (version.TargetDerivation == TargetDerivation.SameRatio)
        {
            return new DerivedTarget(target, period, target.Value, target.BandLow, target.BandHigh, target.Tolerance, 1,
                "same value as the annual target (a rate does not scale with the length of the period)");
        }

        if (monthlyProfile is not null && (monthlyProfile.Count != 12 || monthlyProfile.Any(w => w < 0) || monthlyProfile.Sum() <= 0))
        {
            throw new ArgumentException("a monthly profile has 12 non-negative weights with a positive sum", nameof(monthlyProfile));
        }

        var total = monthlyProfile?.Sum() ?? 12;
        var factor = period.Months().Sum(m => (monthlyProfile?[m.Month - 1] ?? 1) * m.Share) / total;
        var how = monthlyProfile is null ? "by months" : "by the monthly profile";
        return new DerivedTarget(target, period, target.Value * factor, target.BandLow * factor, target.BandHigh * factor,
            target.Tolerance * factor, factor,
            string.Create(CultureInfo.InvariantCulture, $"annual target × {factor:0.####} (the period's share of the year {how})"));
    }

    public static TargetStatusResult Evaluate(KpiValue value, DerivedTarget target, KpiDirection direction)
    {
        ArgumentNullException.ThrowIfNull(value);
        var r = Evaluate(value.Value, target, direction);
        return value.Value is null ? r with { Explanation = value.NoValueReason ?? r.Explanation } : r;
    }

    public static TargetStatusResult Evaluate(double? value, DerivedTarget target, KpiDirection direction)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (value is not { } v)
        {
            return new TargetStatusResult(TargetStatus.NoValue, null, target, null, "no value for the period");
        }

        var gap = direction switch
        {
            KpiDirection.HigherIsBetter => v - target.Value,
            KpiDirection.LowerIsBetter => target.Value - v,
            _ => v < (target.BandLow ?? target.Value) ? v - (target.BandLow ?? target.Value)
                : v > (target.BandHigh ?? target.Value) ? (target.BandHigh ?? target.Value) - v
                : 0,
        };

        // A tiny epsilon keeps values equal to the target "on target" despite binary fractions.
        const double eps = 1e-9;
        var status = gap >= -eps ? TargetStatus.OnTarget
            : gap >= -target.Tolerance - eps ? TargetStatus.WithinTolerance
            : TargetStatus.OffTarget;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{status}: value {v:0.###} against target {Describe(target, direction)}, gap {gap:+0.###;-0.###;0} (tolerance {target.Tolerance:0.###})");
        return new TargetStatusResult(status, v, target, gap, text);
    }

    private static string Describe(DerivedTarget t, KpiDirection d) => d switch
    {
        KpiDirection.HigherIsBetter => string.Create(CultureInfo.InvariantCulture, $"≥ {t.Value:0.###}"),
        KpiDirection.LowerIsBetter => string.Create(CultureInfo.InvariantCulture, $"≤ {t.Value:0.###}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{t.BandLow:0.###}–{t.BandHigh:0.###}"),
    };
}
