using System.Globalization;
using System.Text;

namespace Driftvy.Domain.Kpis;

/// <summary>Formulas in words, Swedish and English, generated from the definition so they cannot drift from it.</summary>
internal static class FormulaWords
{
    public static string Describe(KpiVersion v, bool sv)
    {
        var text = Core(v.Kind, v.Parameters, sv);
        if (v.QueueParameters.Count == 0)
        {
            return text;
        }

        var sb = new StringBuilder(text);
        sb.Append(sv ? " Avvikande parametrar per kö: " : " Per-queue parameters: ");
        sb.AppendJoin("; ", v.QueueParameters.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}: {Core(v.Kind, v.ParametersFor(kv.Key), sv)}"));
        if (v.Kind is FormulaKind.ServiceLevel or FormulaKind.AnswerRate or FormulaKind.AbandonmentRate)
        {
            sb.Append(sv
                ? " För en grupp av köer summeras täljare och nämnare över köerna."
                : " For a group of queues, numerators and denominators are summed over the queues.");
        }

        return sb.ToString();
    }

    private static string Core(FormulaKind kind, FormulaParameters p, bool sv)
    {
        var inv = CultureInfo.InvariantCulture;
        var x = p.ThresholdSeconds ?? 0;
        var s = p.ShortAbandonSeconds ?? 0;
        var wait = sv
            ? "Väntetid = besvarad (eller avbruten) − erbjuden; kontakten räknas till den dag (Stockholmstid) den erbjöds."
            : "Wait = answered (or abandoned) − offered; a contact counts on the Stockholm day it was offered.";
        var shortNote = sv
            ? string.Create(inv, $"Kort avbrutna (väntetid ≤ {s} s) räknas inte.")
            : string.Create(inv, $"Short abandons (wait ≤ {s} s) are left out.");
        return kind switch
        {
            FormulaKind.ServiceLevel => (p.Variant, sv) switch
            {
                (ServiceLevelVariant.AnsweredOnly, true) => string.Create(inv, $"Besvarade inom {x} s ÷ besvarade. {wait}"),
                (ServiceLevelVariant.AnsweredOnly, false) => string.Create(inv, $"Answered within {x} s ÷ answered. {wait}"),
                (ServiceLevelVariant.AbandonsFail, true) => string.Create(inv, $"Besvarade inom {x} s ÷ (besvarade + avbrutna). {wait}"),
                (ServiceLevelVariant.AbandonsFail, false) => string.Create(inv, $"Answered within {x} s ÷ (answered + abandoned). {wait}"),
                (ServiceLevelVariant.RemovedWithin, true) => string.Create(inv, $"(Besvarade eller avbrutna inom {x} s) ÷ alla erbjudna. {wait}"),
                (ServiceLevelVariant.RemovedWithin, false) => string.Create(inv, $"(Answered or abandoned within {x} s) ÷ all offered. {wait}"),
                (ServiceLevelVariant.AnsweredOrAbandonedWithin, true) => string.Create(inv, $"(Besvarade inom {x} s + avbrutna inom {x} s) ÷ (besvarade + avbrutna). {wait}"),
                (ServiceLevelVariant.AnsweredOrAbandonedWithin, false) => string.Create(inv, $"(Answered within {x} s + abandoned within {x} s) ÷ (answered + abandoned). {wait}"),
                (_, true) => string.Create(inv, $"Besvarade inom {x} s ÷ (besvarade + avbrutna efter mer än {s} s). {wait}"),
                (_, false) => string.Create(inv, $"Answered within {x} s ÷ (answered + abandoned after more than {s} s). {wait}"),
            },
            FormulaKind.AnswerRate => sv
                ? string.Create(inv, $"Besvarade ÷ (erbjudna − kort avbrutna). {shortNote}")
                : string.Create(inv, $"Answered ÷ (offered − short abandons). {shortNote}"),
            FormulaKind.AbandonmentRate => sv
                ? string.Create(inv, $"Avbrutna efter mer än {s} s ÷ (erbjudna − kort avbrutna). {shortNote}")
                : string.Create(inv, $"Abandoned after more than {s} s ÷ (offered − short abandons). {shortNote}"),
            FormulaKind.Asa => sv
                ? $"Medelväntetid för besvarade kontakter (summa väntetid ÷ antal besvarade). {wait}"
                : $"Mean wait of answered contacts (sum of waits ÷ answered). {wait}",
            FormulaKind.Aht => sv
                ? "Medelhanteringstid: summa (avslutad − besvarad) ÷ antal besvarade kontakter med sluttid."
                : "Mean handle time: sum of (ended − answered) ÷ answered contacts that have an end time.",
            FormulaKind.WaitPercentile => sv
                ? string.Create(inv, $"{Percentile(p.Percentile, true)} av väntetiden för besvarade kontakter, i hela sekunder avrundat uppåt (närmaste rang). {wait}")
                : string.Create(inv, $"{Percentile(p.Percentile, false)} of the waits of answered contacts, in whole seconds rounded up (nearest rank). {wait}"),
            FormulaKind.FirstContactResolution => sv
                ? "Kontakter markerade som lösta vid första kontakten ÷ besvarade kontakter som har markeringen. Kontakter utan markering räknas inte på någon sida; antalet redovisas."
                : "Contacts flagged resolved at first contact ÷ answered contacts that carry the flag. Contacts without the flag are left out of both sides; their number is reported.",
            FormulaKind.VolumePerFte => (p.Basis, sv) switch
            {
                (FteBasis.PerFteYear, true) => $"Producerad volym ({p.VolumeKind}) i perioden ÷ (summan av månadernas årsarbetare ÷ 12), dvs. per helårsarbetare.",
                (FteBasis.PerFteYear, false) => $"Volume produced ({p.VolumeKind}) in the period ÷ (sum of the months' FTE ÷ 12), i.e. per FTE-year.",
                (_, true) => $"Producerad volym ({p.VolumeKind}) i perioden ÷ summan över periodens månader av månadens årsarbetare, dvs. per årsarbetare och månad.",
                (_, false) => $"Volume produced ({p.VolumeKind}) in the period ÷ sum over the period's months of that month's FTE, i.e. per FTE and month.",
            },
            FormulaKind.Volume => sv
                ? $"Summa producerad volym ({p.VolumeKind}) i perioden."
                : $"Sum of volume produced ({p.VolumeKind}) in the period.",
            FormulaKind.VolumeRatio => sv
                ? $"Volym {p.NumeratorKind} ÷ volym {p.DenominatorKind} i perioden."
                : $"Volume of {p.NumeratorKind} ÷ volume of {p.DenominatorKind} in the period.",
            FormulaKind.Backlog => sv
                ? $"Antal öppna ärenden{CaseKind(p, true)} vid periodens slut (öppnade före och inte stängda)."
                : $"Number of open cases{CaseKind(p, false)} at the end of the period (opened before it and not closed by it).",
            FormulaKind.LeadTime => sv
                ? $"{Percentile(p.Percentile, true)} av ledtiden (stängd − öppnad) i {Days(p.DayBasis, true)} för ärenden{CaseKind(p, true)} stängda i perioden (närmaste rang)."
                : $"{Percentile(p.Percentile, false)} of lead time (closed − opened) in {Days(p.DayBasis, false)} for cases{CaseKind(p, false)} closed in the period (nearest rank).",
            FormulaKind.WithinPromisedShare => sv
                ? $"Ärenden{CaseKind(p, true)} stängda i perioden inom utlovad ledtid ({Days(p.DayBasis, true)}) ÷ ärenden stängda i perioden som har en utlovad ledtid; övriga räknas inte och redovisas."
                : $"Cases{CaseKind(p, false)} closed in the period within their promised lead time ({Days(p.DayBasis, false)}) ÷ cases closed in the period that carry a promise; the rest are left out and reported.",
            FormulaKind.Entered => sv
                ? "Inmatat eller importerat värde (t.ex. enkät eller ekonomisystem); beräknas inte i Driftvy."
                : "Entered or imported value (e.g. a survey or the finance system); not computed by Driftvy.",
            _ => kind.ToString(),
        };
    }

    private static string Percentile(double? p, bool sv) => p switch
    {
        50 => sv ? "Median" : "Median",
        { } v => sv ? string.Create(CultureInfo.InvariantCulture, $"{v}:e percentilen") : string.Create(CultureInfo.InvariantCulture, $"{v}th percentile"),
        _ => "?",
    };

    private static string Days(DayBasis? basis, bool sv) => (basis, sv) switch
    {
        (DayBasis.WorkingDays, true) => "arbetsdagar (helgfria vardagar, midsommarafton, julafton och nyårsafton räknas som lediga)",
        (DayBasis.WorkingDays, false) => "working days (weekdays except holidays; midsummer eve, Christmas eve and New Year's eve count as days off)",
        (_, true) => "kalenderdagar",
        (_, false) => "calendar days",
    };

    private static string CaseKind(FormulaParameters p, bool sv) =>
        p.CaseKind is null ? string.Empty : sv ? $" av typen {p.CaseKind}" : $" of kind {p.CaseKind}";
}
