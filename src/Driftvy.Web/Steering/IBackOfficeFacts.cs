using Driftvy.Domain.BackOffice;

namespace Driftvy.Web.Steering;

/// <summary>
/// Back-office facts (cases, daily volumes, monthly staffing) for the steering view and team tiles.
/// The import stores are bound here by the host; until then <see cref="EmptyBackOfficeFacts"/> answers.
/// </summary>
public interface IBackOfficeFacts
{
    /// <summary>
    /// The facts of <paramref name="teams"/> that bear on the Stockholm days [<paramref name="from"/>, <paramref name="toExclusive"/>):
    /// cases opened before the end and not closed before the start (so backlog at the end, and lead times of
    /// cases closed in the range, can be computed), volumes of days in the range, staffing of the months it touches.
    /// </summary>
    Task<BackOfficeFactSet> ReadAsync(IReadOnlyCollection<string> teams, DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IBackOfficeFacts.ReadAsync"/> returns.</summary>
/// <param name="Cases">Cases as described on the interface.</param>
/// <param name="Volumes">Daily volumes in the range.</param>
/// <param name="Staffing">Monthly FTE of the months touched.</param>
/// <param name="AsOf">When the newest of these facts was imported; null when nothing has been imported.</param>
public sealed record BackOfficeFactSet(
    IReadOnlyList<CaseRecord> Cases,
    IReadOnlyList<DailyVolume> Volumes,
    IReadOnlyList<MonthlyStaffing> Staffing,
    DateTimeOffset? AsOf)
{
    public static BackOfficeFactSet Empty { get; } = new([], [], [], null);
}

/// <summary>No back-office data yet: team tiles show "no data" and the steering view leaves those rows empty.</summary>
internal sealed class EmptyBackOfficeFacts : IBackOfficeFacts
{
    public Task<BackOfficeFactSet> ReadAsync(IReadOnlyCollection<string> teams, DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken) =>
        Task.FromResult(BackOfficeFactSet.Empty);
}
