namespace Driftvy.Domain.Tests.Kpis;

/// <summary>Small hand-written catalogues for tests of one rule at a time.</summary>
internal static class InlineCatalog
{
    public static string ServiceLevel(string variant) => $$"""
        { "schema_version": 1, "kpis": [ { "id": "sl", "versions": [ {
          "version": 1, "effective_from": "2020-01-01", "name_sv": "SL", "name_en": "SL", "unit": "percent",
          "direction": "higher_is_better",
          "formula": { "kind": "service_level", "parameters": { "threshold_seconds": 60, "variant": "{{variant}}" } },
          "population": { "queues": ["kc-stockholm"] } } ] } ] }
        """;

    public const string GroupWithOverride = """
        { "schema_version": 1, "kpis": [ { "id": "sl", "versions": [ {
          "version": 1, "effective_from": "2020-01-01", "name_sv": "SL", "name_en": "SL", "unit": "percent",
          "direction": "higher_is_better",
          "formula": { "kind": "service_level", "parameters": { "threshold_seconds": 60 },
                       "queue_parameters": { "aldre-direkt": { "short_abandon_seconds": 10 } } },
          "population": { "queues": ["kc-stockholm", "aldre-direkt"] } } ] } ] }
        """;

    public const string TwoVersions = """
        { "schema_version": 1, "kpis": [ { "id": "sl", "versions": [
          { "version": 1, "effective_from": "2020-01-01", "name_sv": "SL", "name_en": "SL", "unit": "percent",
            "direction": "higher_is_better",
            "formula": { "kind": "service_level", "parameters": { "threshold_seconds": 60, "variant": "answered_only" } },
            "population": { "queues": ["kc-stockholm"] } },
          { "version": 2, "effective_from": "2026-03-01", "name_sv": "SL", "name_en": "SL", "unit": "percent",
            "direction": "higher_is_better",
            "formula": { "kind": "service_level", "parameters": { "threshold_seconds": 60 } },
            "population": { "queues": ["kc-stockholm"] } } ] } ] }
        """;
}
