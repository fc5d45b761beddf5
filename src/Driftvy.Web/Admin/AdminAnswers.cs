using Driftvy.Domain.Kpis;
using Driftvy.Domain.Targets;
using Driftvy.Web.Sources;

namespace Driftvy.Web.Admin;

// The administration page's answers, named so the OpenAPI document describes them; their JSON is what the page reads.

/// <summary>Answer of <c>GET /api/admin/settings</c>: the settings in force and any problem applying them.</summary>
public sealed record AdminSettingsView(long Generation, IReadOnlyList<string> Problems, IEnumerable<AdminSettingInForce> Settings);

/// <summary>One administrative setting in force: what, since when, by whom.</summary>
public sealed record AdminSettingInForce(string Kind, string Key, DateTimeOffset At, string Actor);

/// <summary>Answer of a saved change: the new version of the setting.</summary>
public sealed record AdminSettingSaved(long Version, string Kind, string Key, DateTimeOffset At);

/// <summary>Answer of <c>GET /api/admin/sources</c>: how each source is set up, and its health today.</summary>
public sealed record AdminSourcesView(
    TelephonySourceView Telephony, DropFolderView DropFolder, IEnumerable<HttpPollerView> HttpPollers, string UnknownUnits, IEnumerable<SourceStatus> Health);

/// <summary>The telephony source's settings.</summary>
public sealed record TelephonySourceView(string Source, bool Enabled, string Kind, double PollIntervalSeconds);

/// <summary>The drop folder's settings.</summary>
public sealed record DropFolderView(bool Enabled, double PollIntervalSeconds);

/// <summary>One HTTP poller's settings.</summary>
public sealed record HttpPollerView(string Source, bool Enabled, double IntervalSeconds);

/// <summary>Answer of <c>GET /api/admin/targets</c>: every KPI's target for the year.</summary>
public sealed record AdminTargetsView(int Year, IEnumerable<AdminKpiTarget> Kpis);

/// <summary>A KPI's target for a year: where it comes from, and whether it was carried forward from an earlier year.</summary>
public sealed record AdminKpiTarget(
    string KpiId, string NameSv, KpiUnit Unit, string Direction, bool IsBand, Target? Target, string? Origin, bool CarriedForward);

/// <summary>Answer of <c>DELETE /api/admin/targets/{kpiId}/{year}</c>: the target in force again (the seed file's), if any.</summary>
public sealed record RestoredTarget(Target? Restored);

/// <summary>Answer of <c>GET /api/admin/kpi-parameters</c>: the editable parameters with their bounds, and every KPI's versions.</summary>
public sealed record AdminKpiParametersView(DateOnly Today, IEnumerable<EditableParameterView> Editable, IEnumerable<AdminKpiVersions> Kpis);

/// <summary>A parameter an administrator may set, within its bounds.</summary>
public sealed record EditableParameterView(string Name, int Min, int Max);

/// <summary>A KPI's versions with their parameters.</summary>
public sealed record AdminKpiVersions(string KpiId, string NameSv, IEnumerable<AdminKpiVersion> Versions);

/// <summary>One version of a KPI: when in force, its parameters and why.</summary>
public sealed record AdminKpiVersion(int Version, DateOnly EffectiveFrom, DateOnly? EffectiveTo, IReadOnlyDictionary<string, int> Parameters, string? BasisNote);

/// <summary>Answer of <c>GET /api/admin/staffing</c>: FTE per team and month of a year.</summary>
public sealed record AdminStaffingView(int Year, IEnumerable<AdminTeamStaffing> Teams);

/// <summary>One team's FTE per month.</summary>
public sealed record AdminTeamStaffing(string Id, string NameSv, IEnumerable<AdminMonthFte> Months);

/// <summary>A month's FTE and where it came from; both null when none is recorded.</summary>
public sealed record AdminMonthFte(int Month, decimal? Fte, string? Source);

/// <summary>Answer of <c>PUT /api/admin/staffing</c>: what the staffing import made of the edit.</summary>
public sealed record StaffingEditResult(int Accepted, int Updated, int Duplicates);

/// <summary>One board in <c>GET /api/admin/boards</c>.</summary>
public sealed record AdminBoardItem(string Id, string Title, string File, bool Overridden, bool InFiles);

/// <summary>Answer of <c>GET /api/admin/boards/{id}</c>: the board document in force, and whether an administrator's version overrides the file.</summary>
public sealed record AdminBoardDocument(string Id, string? Json, bool Overridden);

/// <summary>Answer of <c>GET /api/admin/alert-rules</c>: the rules document in force, its file and how many rules it holds.</summary>
public sealed record AdminAlertRulesDocument(string Json, bool Overridden, string File, int Rules);
