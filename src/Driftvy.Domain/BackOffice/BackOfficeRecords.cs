namespace Driftvy.Domain.BackOffice;

/// <summary>A back-office case (e.g. a supplier-invoice query). Lead times run from opening to closing.</summary>
/// <param name="CaseId">The case system's id.</param>
/// <param name="Team">Team id (e.g. <c>lr</c>).</param>
/// <param name="Kind">Case kind, free text agreed with the source (e.g. <c>supplier_query</c>).</param>
/// <param name="OpenedAt">When the case was opened.</param>
/// <param name="ClosedAt">When it was closed; null while open.</param>
/// <param name="PromisedDays">The promised lead time (ledtid) for this case, when one applies.</param>
public sealed record CaseRecord(
    string CaseId, string Team, string Kind, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, int? PromisedDays);

/// <summary>Volume produced by a team on a Stockholm calendar day (invoices, payslips, reminders …).</summary>
public sealed record DailyVolume(DateOnly Date, string Team, string Kind, long Count);

/// <summary>A team's staffing in full-time equivalents (årsarbetare) for one calendar month.</summary>
public sealed record MonthlyStaffing(int Year, int Month, string Team, decimal Fte);

/// <summary>
/// A per-FTE KPI was asked for a period in which a month has no staffing recorded. This is an input error
/// to fix at the source, so it is raised rather than shown as a quiet division by zero.
/// </summary>
public sealed class MissingStaffingException : Exception
{
    public MissingStaffingException()
        : this(string.Empty, 0, 0, string.Empty)
    {
    }

    public MissingStaffingException(string message)
        : base(message)
    {
        Team = string.Empty;
        KpiId = string.Empty;
    }

    public MissingStaffingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Team = string.Empty;
        KpiId = string.Empty;
    }

    public MissingStaffingException(string team, int year, int month, string kpiId)
        : base($"No FTE recorded for team '{team}' in {year:0000}-{month:00}: {kpiId} divides by the FTE of every month of the period, so that month's staffing must be entered (a zero FTE is not accepted either).")
    {
        Team = team;
        Year = year;
        Month = month;
        KpiId = kpiId;
    }

    public string Team { get; }

    public int Year { get; }

    public int Month { get; }

    public string KpiId { get; }
}
