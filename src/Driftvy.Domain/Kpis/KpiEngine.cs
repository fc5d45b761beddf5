using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Periods;

namespace Driftvy.Domain.Kpis;

/// <summary>Evaluates catalogue KPIs for a period with the definition version in force on the period's first day.</summary>
public sealed class KpiEngine(KpiCatalog catalog, WorkingCalendar calendar)
{
    private readonly WorkingCalendar _calendar = calendar ?? throw new ArgumentNullException(nameof(calendar));

    public KpiCatalog Catalog { get; } = catalog ?? throw new ArgumentNullException(nameof(catalog));

    /// <summary>
    /// Computes <paramref name="kpiId"/> for <paramref name="period"/>. Throws <see cref="MissingStaffingException"/>
    /// when a per-FTE KPI meets a month without staffing, and <see cref="ArgumentException"/> for a scope outside
    /// the KPI's population; everything else without data gives a value with <see cref="KpiValue.NoValueReason"/>.
    /// </summary>
    public KpiValue Evaluate(string kpiId, Period period, KpiInputs inputs, KpiScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(inputs);
        var definition = Catalog.Get(kpiId);
        var v = definition.VersionOn(period.Start);
        if (v is null)
        {
            return new KpiValue
            {
                KpiId = kpiId,
                Version = 0,
                Period = period,
                Value = null,
                NoValueReason = $"no version of '{kpiId}' is in force on {period.Start:yyyy-MM-dd}; the first is from {definition.Versions[0].EffectiveFrom:yyyy-MM-dd}",
                Unit = definition.Versions[0].Unit,
                FormulaEn = string.Empty,
                FormulaSv = string.Empty,
                Scope = [],
            };
        }

        return Evaluate(v, period, inputs, scope);
    }

    /// <summary>Computes with an explicit version (e.g. to recompute an old period with today's definition).</summary>
    public KpiValue Evaluate(KpiVersion version, Period period, KpiInputs inputs, KpiScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(inputs);
        IReadOnlyList<string> members;
        Measure m;
        if (KpiCatalog.IsContactKind(version.Kind))
        {
            members = Narrow(version.Population.Queues, scope?.Queues, version.KpiId, "queue");
            m = EvaluateContacts(version, members, inputs.Contacts, scope?.Channel, period);
        }
        else if (KpiCatalog.IsBackOfficeKind(version.Kind))
        {
            members = Narrow(version.Population.Teams, scope?.Teams, version.KpiId, "team");
            m = EvaluateBackOffice(version, members, inputs, period);
        }
        else
        {
            members = version.Population.Queues.Count > 0 ? version.Population.Queues
                : version.Population.Teams.Count > 0 ? version.Population.Teams
                : version.Population.Area is { } area ? [area] : [];
            var entered = inputs.Entered.LastOrDefault(e => e.KpiId == version.KpiId && e.PeriodId == period.Id);
            m = entered is null
                ? Measure.None($"no value entered for {period.Label}")
                : new Measure(entered.Value, null, null, null, null, $"entered: {entered.Source}");
        }

        return new KpiValue
        {
            KpiId = version.KpiId,
            Version = version.Version,
            Period = period,
            Value = m.Value,
            Numerator = m.Numerator,
            Denominator = m.Denominator,
            NoValueReason = m.Value is null ? m.NoValueReason : null,
            NoValueCause = m.Value is null ? m.Cause : null,
            Unit = version.Unit,
            FormulaEn = version.FormulaEn,
            FormulaSv = version.FormulaSv,
            Scope = members,
            Channel = scope?.Channel,
            LeftOut = m.LeftOut,
            LeftOutNote = m.LeftOutNote,
        };
    }

    private static List<string> Narrow(IReadOnlyList<string> population, IReadOnlyList<string>? requested, string kpiId, string what)
    {
        if (requested is null || requested.Count == 0)
        {
            return [.. population];
        }

        foreach (var r in requested)
        {
            if (!population.Contains(r))
            {
                throw new ArgumentException($"{what} '{r}' is not in the population of '{kpiId}' ({string.Join(", ", population)})", nameof(requested));
            }
        }

        return [.. requested.Distinct()];
    }

    private static Measure EvaluateContacts(KpiVersion v, IReadOnlyList<string> queues, IReadOnlyList<QueueTally> tallies, Channel? channel, Period period)
    {
        var perQueue = new Dictionary<string, ContactTally>(StringComparer.Ordinal);
        foreach (var t in tallies)
        {
            if (!queues.Contains(t.Queue) || (channel is not null && t.Channel != channel))
            {
                continue;
            }

            if (!perQueue.TryGetValue(t.Queue, out var merged))
            {
                merged = new ContactTally();
                perQueue[t.Queue] = merged;
            }

            merged.Merge(t.Tally);
        }

        var all = new ContactTally();
        foreach (var t in perQueue.Values)
        {
            all.Merge(t);
        }

        var where = channel is null ? string.Join(", ", queues) : $"{string.Join(", ", queues)} ({channel})";
        if (all.IsEmpty)
        {
            return Measure.None($"no contacts offered in {period.Label} for {where}", cause: NoValueCause.NoContacts);
        }

        // Ratios with per-queue parameters: each queue contributes its own numerator and denominator.
        double num = 0, den = 0;
        switch (v.Kind)
        {
            case FormulaKind.ServiceLevel:
                foreach (var (q, t) in perQueue)
                {
                    var p = v.ParametersFor(q);
                    var (n, d) = ContactFormulas.ServiceLevelParts(t, p.ThresholdSeconds!.Value, p.ShortAbandonSeconds!.Value, p.Variant!.Value);
                    num += n;
                    den += d;
                }

                return Measure.Percent(num, den, $"nothing to measure the service level on in {period.Label} for {where} (no answered and no counted abandoned contacts)");
            case FormulaKind.AnswerRate:
                foreach (var (q, t) in perQueue)
                {
                    var (n, d) = ContactFormulas.AnswerRateParts(t, v.ParametersFor(q).ShortAbandonSeconds!.Value);
                    num += n;
                    den += d;
                }

                return Measure.Percent(num, den, $"every contact offered in {period.Label} for {where} was a short abandon");
            case FormulaKind.AbandonmentRate:
                foreach (var (q, t) in perQueue)
                {
                    var (n, d) = ContactFormulas.AbandonmentRateParts(t, v.ParametersFor(q).ShortAbandonSeconds!.Value);
                    num += n;
                    den += d;
                }

                return Measure.Percent(num, den, $"every contact offered in {period.Label} for {where} was a short abandon");
            case FormulaKind.FirstContactResolution:
                var (resolved, flagged, unflagged) = ContactFormulas.FirstContactResolutionParts(all);
                return Measure.Percent(resolved, flagged, $"no answered contact in {period.Label} for {where} carries a first-contact flag") with
                {
                    LeftOut = unflagged,
                    LeftOutNote = $"{unflagged} answered contact(s) without a first-contact flag left out",
                };
            case FormulaKind.Asa:
                return ContactFormulas.AverageSpeedOfAnswer(all);
            case FormulaKind.Aht:
                return ContactFormulas.AverageHandleTime(all);
            case FormulaKind.WaitPercentile:
                return ContactFormulas.WaitPercentile(all, v.Parameters.Percentile!.Value);
            default:
                throw new InvalidOperationException($"{v.Kind} is not a contact-centre formula");
        }
    }

    private Measure EvaluateBackOffice(KpiVersion v, IReadOnlyList<string> teams, KpiInputs inputs, Period period)
    {
        var p = v.Parameters;
        return v.Kind switch
        {
            FormulaKind.VolumePerFte => BackOfficeFormulas.VolumePerFte(v.KpiId, inputs.Volumes, inputs.Staffing, teams, p.VolumeKind!, period, p.Basis!.Value),
            FormulaKind.Volume => BackOfficeFormulas.Volume(inputs.Volumes, teams, p.VolumeKind!, period),
            FormulaKind.VolumeRatio => BackOfficeFormulas.VolumeRatio(inputs.Volumes, teams, p.NumeratorKind!, p.DenominatorKind!, period),
            FormulaKind.Backlog => BackOfficeFormulas.Backlog(inputs.Cases, teams, p.CaseKind, period.UtcRange.End),
            FormulaKind.LeadTime => BackOfficeFormulas.LeadTimePercentile(inputs.Cases, teams, p.CaseKind, period, p.Percentile!.Value, p.DayBasis!.Value, _calendar),
            FormulaKind.WithinPromisedShare => BackOfficeFormulas.WithinPromisedShare(inputs.Cases, teams, p.CaseKind, period, p.DayBasis!.Value, _calendar),
            _ => throw new InvalidOperationException($"{v.Kind} is not a back-office formula"),
        };
    }
}
