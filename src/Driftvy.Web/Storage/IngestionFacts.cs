namespace Driftvy.Web.Storage;

/// <summary>A back-office case as stored; instants are Unix milliseconds (UTC) like the contact facts.</summary>
public sealed class CaseFact
{
    public required string CaseId { get; set; }

    public required string Source { get; set; }

    public required string Team { get; set; }

    public required string Kind { get; set; }

    public long OpenedAtMs { get; set; }

    public long? ClosedAtMs { get; set; }

    public int? PromisedDays { get; set; }

    public long ReceivedAtMs { get; set; }
}

/// <summary>Volume produced by a team on a Stockholm day; the natural key is (date, team, kind), last write wins.</summary>
public sealed class VolumeFact
{
    public DateOnly Date { get; set; }

    public required string Team { get; set; }

    public required string Kind { get; set; }

    public long Count { get; set; }

    public required string Source { get; set; }

    public long UpdatedAtMs { get; set; }
}

/// <summary>A team's FTE for one month; the natural key is (year, month, team), last write wins.</summary>
public sealed class StaffingFact
{
    public int Year { get; set; }

    public int Month { get; set; }

    public required string Team { get; set; }

    public decimal Fte { get; set; }

    public required string Source { get; set; }

    public long UpdatedAtMs { get; set; }
}

/// <summary>A queue's live state as a platform reported it; the natural key is (queue, at).</summary>
public sealed class QueueSnapshotFact
{
    public required string Queue { get; set; }

    public long AtMs { get; set; }

    public int Waiting { get; set; }

    public int LongestWaitSeconds { get; set; }

    public int AgentsAvailable { get; set; }

    public int AgentsBusy { get; set; }

    public int AgentsAway { get; set; }

    public required string Source { get; set; }

    public long ReceivedAtMs { get; set; }
}

/// <summary>One committed import (a file, a push request or a poll): what came in and what it changed.</summary>
public sealed class IngestBatch
{
    public long Id { get; set; }

    public required string Source { get; set; }

    public required string Kind { get; set; }

    /// <summary>Where it came from: a file name, <c>push</c>, <c>http-poll</c> or <c>cli</c>.</summary>
    public required string Origin { get; set; }

    public required string ContentSha256 { get; set; }

    public long ReceivedAtMs { get; set; }

    public int Rows { get; set; }

    public int Accepted { get; set; }

    public int Updated { get; set; }

    public int Duplicates { get; set; }
}

/// <summary>An overwritten value (volume, staffing, case): old and new, so "last write wins" can be traced.</summary>
public sealed class IngestAudit
{
    public long Id { get; set; }

    public long BatchId { get; set; }

    public required string Entity { get; set; }

    public required string EntityKey { get; set; }

    public required string OldValue { get; set; }

    public required string NewValue { get; set; }

    public required string Source { get; set; }

    public long ChangedAtMs { get; set; }
}

/// <summary>A queue or team first seen in imported data and registered automatically (when configured so).</summary>
public sealed class RegisteredUnit
{
    /// <summary><c>queue</c> or <c>team</c>.</summary>
    public required string UnitKind { get; set; }

    public required string UnitId { get; set; }

    public required string Source { get; set; }

    public long FirstSeenAtMs { get; set; }
}

/// <summary>How far a polled source has been read, written in the same transaction as the data it covers.</summary>
public sealed class SourceWatermark
{
    public required string Source { get; set; }

    public required string Position { get; set; }

    public long UpdatedAtMs { get; set; }
}

/// <summary>A push-API key: only its SHA-256 is kept; the key itself is shown once when created.</summary>
public sealed class ApiKey
{
    public long Id { get; set; }

    public required string Source { get; set; }

    public required string KeyHash { get; set; }

    public long CreatedAtMs { get; set; }

    public long? LastUsedAtMs { get; set; }

    public long? RevokedAtMs { get; set; }
}
