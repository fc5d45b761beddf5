namespace Driftvy.Web.Sources.Ingestion;

/// <summary>What to do with a queue or team id that is neither in <c>seed/queues.json</c> nor registered before.</summary>
public enum UnknownUnitPolicy
{
    /// <summary>Refuse the row (the default: a typo must not create a queue nobody watches).</summary>
    Reject,

    /// <summary>Accept it and record it in <c>registered_units</c>, in the same transaction as the data.</summary>
    Register,
}

/// <summary>
/// What one import's rows are checked against: the queues and teams they may name (the organisation catalogue plus
/// units registered earlier), and the window their instants must fall in.
/// </summary>
internal sealed class UnitDirectory(
    IReadOnlySet<string> queues, IReadOnlySet<string> teams, IReadOnlySet<(string Kind, string Id)> registered, UnknownUnitPolicy policy,
    Formats.InstantWindow instants)
{
    /// <summary>The instants this import accepts.</summary>
    public Formats.InstantWindow Instants => instants;

    public const string QueueKind = "queue";
    public const string TeamKind = "team";

    private readonly HashSet<(string Kind, string Id)> _new = [];

    /// <summary>Units this import will register (only with <see cref="UnknownUnitPolicy.Register"/>).</summary>
    public IReadOnlyCollection<(string Kind, string Id)> NewUnits => _new;

    public (string? Id, string? Problem) Resolve(string kind, string value)
    {
        var known = kind == QueueKind ? queues : teams;
        if (known.Contains(value) || registered.Contains((kind, value)) || _new.Contains((kind, value)))
        {
            return (value, null);
        }

        if (policy == UnknownUnitPolicy.Register)
        {
            if (!IsCode(value))
            {
                return (null, $"'{value}' cannot be registered as a {kind}: an id is lower-case letters, digits, '_' or '-'");
            }

            _new.Add((kind, value));
            return (value, null);
        }

        return (null, $"unknown {kind} '{value}'; known {kind}s are {string.Join(", ", known.Order(StringComparer.Ordinal))} (or set Ingestion:UnknownUnits=Register)");
    }

    public static bool IsCode([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= 64 } && char.IsAsciiLetterOrDigit(value[0]) && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');
}
