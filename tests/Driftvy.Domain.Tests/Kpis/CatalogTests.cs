using Driftvy.Domain.Calendar;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Organisation;
using Driftvy.Domain.Periods;
using Driftvy.Domain.Targets;

namespace Driftvy.Domain.Tests.Kpis;

public sealed class CatalogTests
{
    [Fact]
    public void SeedFiles_LoadAndValidate_EveryTargetRefersToAKnownKpi()
    {
        var catalog = SeedFiles.Catalog;
        var targets = SeedFiles.Targets;

        Assert.True(catalog.Kpis.Count >= 30, "the seed catalogue should list the contact-centre, back-office and plan KPIs");
        Assert.All(targets.Targets, t => Assert.True(catalog.Contains(t.KpiId), t.KpiId));
        Assert.All(catalog.Kpis, k =>
        {
            Assert.True(k.Versions.Select(v => v.EffectiveFrom).SequenceEqual(k.Versions.Select(v => v.EffectiveFrom).Order()), k.Id);
            Assert.True(k.Versions.Select(v => v.Version).SequenceEqual(Enumerable.Range(1, k.Versions.Count)), k.Id);
        });
        Assert.All(targets.Targets, t => Assert.True(t.Source.Line > 0 && t.Source.Document.Length > 0, t.KpiId));
    }

    [Fact]
    public void SeedTargets_Include2026PlanAndContactCentreTargets()
    {
        var t = SeedFiles.Targets;

        Assert.Equal(6300, t.Find("customer_invoices_per_fte", 2026)!.Value);
        Assert.Equal(5300, t.Find("supplier_invoices_per_fte", 2026)!.Value);
        Assert.Equal(91000, t.Find("preschool_invoices_per_fte", 2026)!.Value);
        Assert.Equal(67, t.Find("nki_base_services", 2026)!.Value);
        Assert.Equal(225, t.Find("customer_invoices_per_fte", 2026)!.Source.Line);
        // 18 from the 2026 plan, plus the two house defaults for the payroll and supplier phone queues.
        Assert.Equal(18, t.Targets.Count(x => x.Year == 2026 && !(x.Note ?? "").StartsWith("House default", StringComparison.Ordinal)));
        Assert.Equal(2, t.Targets.Count(x => x.Year == 2026 && (x.Note ?? "").StartsWith("House default", StringComparison.Ordinal)));

        var sl = t.Find("kc_answered_within_1_min", 2026)!;
        Assert.Equal((85.0, 2015), (sl.Value, sl.Year)); // carried forward from the latest document
        Assert.Equal(80, t.Find("kc_first_contact_resolution", 2026)!.Value);
        Assert.Equal(86, t.Find("kc_customer_satisfaction_overall", 2026)!.Value);
        Assert.Equal(90, t.Find("kc_customer_satisfaction_overall", 2015)!.Value);
        Assert.Equal(TargetPeriodicity.Year, t.Find("nki_base_services", 2026)!.Periodicity);
    }

    [Fact]
    public void Describe_EveryVersion_HasFormulaInSwedishAndEnglish()
    {
        var all = SeedFiles.Catalog.Describe();

        Assert.All(all, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.FormulaSv), d.KpiId);
            Assert.False(string.IsNullOrWhiteSpace(d.FormulaEn), d.KpiId);
            Assert.False(string.IsNullOrWhiteSpace(d.NameSv), d.KpiId);
        });
        var sl = all.Single(d => d.KpiId == "kc_answered_within_1_min");
        Assert.Equal("Answered within 60 s ÷ (answered + abandoned after more than 5 s). Wait = answered (or abandoned) − offered; a contact counts on the Stockholm day it was offered.", sl.FormulaEn);
        Assert.StartsWith("Besvarade inom 60 s ÷ (besvarade + avbrutna efter mer än 5 s)", sl.FormulaSv, StringComparison.Ordinal);
        Assert.Equal("abandons_fail_excl_short", sl.Parameters["variant"]);
        Assert.Equal("5", sl.Parameters["short_abandon_seconds"]);
    }

    [Fact]
    public void Describe_PerFteKpis_SayTheBasisIsAReadingOfAmbiguousText()
    {
        var in2026 = SeedFiles.Catalog.Describe(new DateOnly(2026, 6, 1));

        foreach (var id in new[] { "customer_invoices_per_fte", "supplier_invoices_per_fte", "preschool_invoices_per_fte" })
        {
            var d = in2026.Single(x => x.KpiId == id);
            Assert.Contains("reading of ambiguous plan text", d.BasisNote, StringComparison.Ordinal);
        }

        Assert.Equal("per_fte_year", in2026.Single(x => x.KpiId == "preschool_invoices_per_fte").Parameters["basis"]);
        Assert.Equal("per_fte_month", in2026.Single(x => x.KpiId == "supplier_invoices_per_fte").Parameters["basis"]);
        Assert.Contains("per FTE-year", in2026.Single(x => x.KpiId == "preschool_invoices_per_fte").FormulaEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PeriodAfterNewVersion_UsesVersionInForceAndSaysSo()
    {
        var engine = new KpiEngine(KpiCatalog.Parse(InlineCatalog.TwoVersions), new WorkingCalendar());
        var inputs = new KpiInputs
        {
            Contacts = Domain.Contacts.ContactTallies.ForPeriod(
            [
                Tests.Contacts.ContactKpiTests.Answered(10, at: new DateTimeOffset(2026, 2, 2, 9, 0, 0, TimeSpan.FromHours(1))),
                Tests.Contacts.ContactKpiTests.Abandoned(30, at: new DateTimeOffset(2026, 2, 2, 9, 0, 0, TimeSpan.FromHours(1))),
                Tests.Contacts.ContactKpiTests.Answered(10, at: new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1))),
                Tests.Contacts.ContactKpiTests.Abandoned(30, at: new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1))),
            ], Period.FullYear(2026)),
        };

        var feb = engine.Evaluate("sl", Period.Month(2026, 2), inputs);
        var march = engine.Evaluate("sl", Period.Month(2026, 3), inputs);
        var early = engine.Evaluate("sl", Period.FullYear(2019), new KpiInputs());

        Assert.Equal((1, 100.0), (feb.Version, feb.Value!.Value));
        Assert.Equal((2, 50.0), (march.Version, march.Value!.Value));
        Assert.StartsWith("sl v2: Answered within 60 s", march.Provenance, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 3, 1), KpiCatalog.Parse(InlineCatalog.TwoVersions).Get("sl").Versions[0].EffectiveTo);
        Assert.Null(early.Value);
        Assert.Contains("no version", early.NoValueReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SeedPerFteKpi_2015UsesV1And2026UsesV2()
    {
        var c = SeedFiles.Catalog;

        Assert.Equal(1, c.VersionOn("customer_invoices_per_fte", new DateOnly(2015, 5, 1))!.Version);
        Assert.Equal(2, c.VersionOn("customer_invoices_per_fte", new DateOnly(2026, 5, 1))!.Version);
    }

    [Theory]
    [InlineData("\"unit\": \"percent\"", "\"unit\": \"procent\"", "unit")]
    [InlineData("\"threshold_seconds\": 60,", "\"threshold_secs\": 60,", "threshold_secs")]
    [InlineData("\"threshold_seconds\": 60,", "", "threshold_seconds")]
    [InlineData("\"name_sv\": \"SL\",", "", "name_sv")]
    [InlineData("\"effective_from\": \"2026-03-01\"", "\"effective_from\": \"2019-03-01\"", "effective_from")]
    [InlineData("\"version\": 2", "\"version\": 1", "version")]
    [InlineData("\"unit\": \"percent\"", "\"unit\": \"seconds\"", "unit")]
    [InlineData("\"queues\": [\"kc-stockholm\"] } },", "\"teams\": [\"lr\"] } },", "queues")]
    public void Parse_BadCatalogue_ErrorNamesTheField(string find, string replace, string field)
    {
        var bad = ReplaceFirst(InlineCatalog.TwoVersions, find, replace);

        var ex = Assert.Throws<CatalogValidationException>(() => KpiCatalog.Parse(bad, "kpis.json"));

        Assert.Equal("kpis.json", ex.File);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SyntaxError_ReportsFileAndPath()
    {
        var ex = Assert.Throws<CatalogValidationException>(() => KpiCatalog.Parse("{ \"schema_version\": 1, \"kpis\": [ { \"id\": ", "kpis.json"));

        Assert.StartsWith("kpis.json: $", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownQueueAgainstOrganisation_NamesQueueField()
    {
        var bad = InlineCatalog.ServiceLevel("answered_only").Replace("kc-stockholm", "kc-goteborg", StringComparison.Ordinal);

        var ex = Assert.Throws<CatalogValidationException>(() => KpiCatalog.Parse(bad, "kpis.json", SeedFiles.Organisation));

        Assert.Equal("$.kpis[0].versions[0].population.queues[0]", ex.Field);
        Assert.Contains("kc-goteborg", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseTargets_UnknownKpi_NamesKpiIdField()
    {
        const string json = """
            { "schema_version": 1, "targets": [ { "kpi_id": "no_such_kpi", "year": 2026, "value": 1, "periodicity": "År",
              "tolerance": 0, "source": { "document": "000", "line": 1 } } ] }
            """;

        var ex = Assert.Throws<CatalogValidationException>(() => TargetSet.Parse(json, SeedFiles.Catalog, "targets.json"));

        Assert.Equal("$.targets[0].kpi_id", ex.Field);
        Assert.Contains("no_such_kpi", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseTargets_BadPeriodicity_NamesField()
    {
        const string json = """
            { "schema_version": 1, "targets": [ { "kpi_id": "sick_leave", "year": 2026, "value": 1, "periodicity": "Monthly",
              "tolerance": 0, "source": { "document": "000", "line": 1 } } ] }
            """;

        var ex = Assert.Throws<CatalogValidationException>(() => TargetSet.Parse(json, SeedFiles.Catalog, "targets.json"));

        Assert.Contains("periodicity", ex.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseQueues_CloseBeforeOpen_NamesField()
    {
        var bad = ReplaceFirst(SeedFiles.Read("queues.json"), "\"close\": \"18:00\"", "\"close\": \"07:00\"");

        var ex = Assert.Throws<CatalogValidationException>(() => OrganisationCatalog.Parse(bad));

        Assert.Equal("$.queues[0].opening_hours[0].close", ex.Field);
    }

    private static string ReplaceFirst(string s, string find, string replace)
    {
        var i = s.IndexOf(find, StringComparison.Ordinal);
        Assert.True(i >= 0, $"test setup: '{find}' not found");
        return string.Concat(s.AsSpan(0, i), replace, s.AsSpan(i + find.Length));
    }
}
