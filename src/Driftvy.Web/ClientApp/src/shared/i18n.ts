// The one dictionary of the pages' texts, Swedish and English. Swedish is the default; `?lang=en` switches.
// The English half is typed as the Swedish one, so a text missing in either language fails the type check.

export type Lang = "sv" | "en";

/** The page's language from its query string (`?lang=en`), Swedish otherwise. */
export function langFrom(search: string): Lang {
  return new URLSearchParams(search).get("lang") === "en" ? "en" : "sv";
}

/** Fills `{name}` placeholders: fill("{n} rader", { n: 3 }) → "3 rader". An unknown name stays as written. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

const sv = {
  status: { "on-target": "Når målet", "near-target": "Nära målet", "off-target": "Under målet", "no-data": "Inget utfall än", "no-target": "Mål saknas" },
  units: { days: "dagar", seconds: "s", count_per_fte: "per åa" },
  age: { ago: "sedan", now: "nyss", days: "dygn" },
  wall: {
    reconnecting: "Anslutningen bröts – återansluter…", connecting: "Ansluter…", rebuilding: "Bygger om siffror…",
    target: "Mål", staleSince: "Data saknas sedan", neverData: "Inga data har kommit",
    unknownBoard: "Okänd tavla", refused: "Visningslänken gäller inte längre – be om en ny länk",
    waiting: "I kö nu", longest: "Längsta väntan", answered: "Besvarade", abandoned: "Avbrutna",
    "legend-calls": "Samtal", "legend-expected": "Förväntat", "legend-sl": "Servicenivå", "legend-target": "Mål",
    source: "Ärendesystem och import",
    window: { now: "Senaste 15 min", last_60_min: "Senaste timmen", today: "Idag", week: "Veckan", month: "Månaden", ytd: "Året hittills" } as Record<string, string>,
  },
  staffing: {
    need: "Behov", in: "Inne", endsAt: "Dagen slutar på", target: "mål", rate: "Samtal per timme (30 min)",
    handle: "Hanteringstid", handleToday: "idag", sameWeekday: "samma veckodag", patience: "Tålamod",
    model: "Modell", reforecast: "Resten av dagen", hours: "Agenttimmar till stängning",
    hoursLine: "som nu {now} · behövs {need} · för dagens mål {day}",
    stale: "Inloggade agenter: gammal ögonblicksbild", why: "Saknas",
  },
  alerts: {
    critical: "KRITISKT", warning: "VARNING", info: "INFO", acked: "kvitterat av", again: "gånger igen", since: "sedan",
    ack: "Kvittera", ackFailed: "Kvitteringen gick inte igenom",
  },
  steering: {
    title: "Daglig styrning", date: "Datum", queues: "Köer", teams: "Team", callbacks: "Ring tillbaka",
    signInForCallbacks: "Logga in som teamledare för att se ring-tillbaka-listan.", reportTertial: "Tertialrapport (Excel)",
    reportMonthly: "Månadsrapport (Excel)", notes: "Händelser", alarms: "Larm i dag", alarmOpen: "pågår", alarmAcked: "kvitterat av",
    alarmResolved: "åtgärdat", add: "Lägg till",
    callbacksHint: "Gav upp i kön idag efter längre väntan än ett kort avbrott (korta avbrott räknas inte) och har inte fått svar på något senare samtal idag.",
    subject: "Kö eller team (tomt = alla)", noteText: "Vad hände?",
    periods: { yesterday: "Igår", week: "Veckan", month: "Månaden", ytd: "Året" } as Record<string, string>,
    measure: "Mått", lastYear: "i fjol", target: "mål",
    ages: "Öppna ärenden efter ålder (arbetsdagar)", loading: "Hämtar…", failed: "Kunde inte hämta siffrorna", none: "Inga",
    attempts: "försök", waited: "väntade", more: "till",
    asOf: "Data från", staffing: "Bemanning",
    staffingHint: "Just nu och veckan: agenter som behövs för målet mot inloggade, var dagen slutar med nuvarande bemanning.",
    day: "Dag", calls: "Samtal", agentHours: "Agenttimmar", peak: "Flest samtidigt", serviceLevel: "Servicenivå",
    basis: { actual: "utfall", today: "idag", expected: "förväntat" } as Record<string, string>,
    fixTitle: "Fastställ tertialrapport", fixPreview: "Förhandsgranska", fixStart: "Fastställ…", fixConfirm: "Fastställ", fixCancel: "Avbryt",
    fixAccept: "Jag har gått igenom raderna utan underlag och fastställer ändå", fixedBy: "Fastställd {when} av {by}",
    fixGaps: "med {n} rader utan underlag", preliminary: "Preliminär, inte fastställd", missingRows: "{n} rader saknar underlag",
    fixQuestion: "Fastställa {name}? Siffrorna låses: varje senare export återger den fastställda rapporten.",
    fixRefused: "Inte fastställd",
    fixGapsRefused: "Inte fastställd: {n} rader saknar underlag. Fastställ bara om det är rätt, genom att acceptera luckorna.",
    fixForbidden: "Bara administratörer kan fastställa rapporten.",
  },
  login: {
    title: "Logga in", username: "Användarnamn", password: "Lösenord", signIn: "Logga in", continue: "Fortsätt", signOut: "Logga ut",
    signInAsOther: "Logga in som någon annan", signedInAs: "Du är inloggad som {name}.", signedInAsWithRoles: "Du är inloggad som {name} ({roles}).",
    wrong: "Fel användarnamn eller lösenord.", tooMany: "För många försök härifrån. Försök igen senare.",
    expired: "Formuläret har gått ut. Ladda om sidan och logga in igen.", failed: "Inloggningen gick inte att genomföra ({status}). Försök igen.",
  },
  roles: { viewer: "läsare", teamleader: "teamledare", admin: "administratör" } as Record<string, string>,
  admin: {
    notSaved: "Ej sparat: {error}", signedInAs: "Inloggad som {name}",
    units: { percent: "procent", seconds: "sekunder", count: "antal", count_per_fte: "per årsarbetare", days: "dagar", index: "index", score: "poäng" } as Record<string, string>,
    targetLabel: "Mål {kpi}", toleranceLabel: "Tolerans {kpi}", periodicity: { "År": "År", "Tertial": "Tertial" } as Record<string, string>,
    changedHere: "ändrat här", cityDocument: "stadens dokument", noTarget: "inget mål", carriedForward: "{source} {from}, gäller {year}",
    save: "Spara", revert: "Återställ", targetSaved: "Målet för {kpi} {year} sparat.", targetReverted: "Dokumentets mål återställt.",
    versionFrom: "v{version} från {from}: {parameters}", validFrom: "Gäller från {kpi}", newVersion: "Ny version", versionSaved: "Ny version av {kpi} sparad.",
    team: "Team", fteLabel: "Årsarbetare {team} {month}", staffingSaved: "Bemanning {team} {month} sparad.",
    boardChanged: " – ändrad", boardOverridden: "Ändrad här (gäller framför filen).", boardAsFile: "Som i filen.",
    boardSaved: "Tavlan sparad.", boardReverted: "Tavlan återställd.", boardCreated: "Tavlan {id} skapad.",
    rulesOverridden: "Ändrade här (gäller framför {file})", rulesAsFile: "Som i {file}", rulesCount: "{state}, {n} regler.",
    rulesSaved: "Larmreglerna sparade.", rulesReverted: "Larmreglerna återställda.",
    noQuarantine: "Inga kontakter i karantän.", quarantineCount: "{n} kontakter i karantän (de senaste visas).",
    revoked: "återkallad {when}", active: "aktiv", revoke: "Återkalla", keyRevoked: "Nyckeln återkallad.",
    keyCreated: "Nyckeln skapad.", keyShown: "Nyckel för {source} (visas bara nu): {key}",
    roleLabel: "Roll {user}", roleChanged: "Rollen ändrad.", disabled: "avstängd", locked: "låst", enable: "Aktivera", disable: "Stäng av",
    userChanged: "Användaren ändrad.", userCreated: "Användaren skapad.",
    linkRevoked: "Länken återkallad; öppna skärmar kopplas bort.", linkShown: "Länk (visas bara nu): {url}", linkCreated: "Visningslänken skapad.",
  },
  // The administration page's fixed labels (admin.html's data-label keys).
  adminPage: {
    title: "Administration", wallScreen: "Väggskärm", steering: "Daglig styrning",
    needsAdmin: "Administrationen kräver en administratör.", signIn: "Logga in", tabTargets: "Mål",
    tabParameters: "KPI-parametrar", tabStaffing: "Bemanning (åa)", tabBoards: "Tavlor", tabAlerts: "Larmregler",
    tabSources: "Källor och nycklar", tabUsers: "Användare", tabDisplays: "Visningslänkar", tabAudit: "Ändringslogg",
    targetsHeading: "Mål per år",
    targetsHint: "Värden i KPI:ns enhet (procent som 0–100). Ett sparat mål ersätter målet ur stadens dokument för samma år; \"Återställ\" tar tillbaka dokumentets mål.",
    year: "År", kpi: "KPI", unit: "Enhet", tolerance: "Tolerans", band: "Band", periodicity: "Periodicitet",
    origin: "Ursprung", versions: "Versioner", newVersion: "Ny version",
    parametersHint: "En ändring blir en ny version av definitionen från ett datum (i dag eller senare). Perioder före datumet behåller sin version, så en rapport kan alltid återskapas.",
    staffingHeading: "Bemanning i årsarbetare per team och månad",
    staffingHint: "Ändringar går genom samma kontroller som en import av bemanningsfilen och loggas med gammalt och nytt värde.",
    boardsHint: "Tavlans JSON i samma format som filerna i mappen dashboards. En sparad tavla gäller framför filen; \"Återställ\" tar tillbaka filens.",
    board: "Tavla", saveBoard: "Spara tavla", revertToFile: "Återställ till filen", newBoardId: "Ny tavla med id",
    createFromSelected: "Skapa från vald",
    alertsHint: "Regler och kanaler i samma format som alerts.json. Fel visas med fältets sökväg och inget ändras.",
    saveRules: "Spara regler", sources: "Källor",
    sourcesHint: "Adresser, mappar och hemligheter för källorna ligger i konfigurationen (miljövariabler), inte här.",
    source: "Källa", channel: "Kanal", lastSuccess: "Senast lyckad", lastError: "Senaste fel",
    rowsToday: "Rader i dag", refusedToday: "Avvisade i dag", quarantine: "Karantän",
    quarantineHint: "Kontakter som inte gick att räkna in (till exempel en tidpunkt som ingen kalender rymmer) flyttas hit med orsaken; allt annat räknas vidare.",
    seq: "Löpnummer", contact: "Kontakt", queue: "Kö", stage: "Steg", reason: "Orsak",
    quarantinedSince: "I karantän sedan", apiKeys: "API-nycklar för inläsning", createKey: "Skapa nyckel", id: "Id",
    created: "Skapad", lastUsed: "Senast använd", status: "Status", role: "Roll", newUser: "Ny användare",
    name: "Namn", password: "Lösenord", create: "Skapa", displaysHeading: "Visningslänkar för väggskärmar",
    label: "Etikett", createLink: "Skapa länk", screensNow: "Skärmar nu", time: "Tid", who: "Vem", what: "Vad",
    entity: "Objekt", before: "Före", after: "Efter", target: "Mål",
  },
};

export type Texts = typeof sv;

const en: Texts = {
  status: { "on-target": "On target", "near-target": "Near target", "off-target": "Below target", "no-data": "No result yet", "no-target": "No target" },
  units: { days: "days", seconds: "s", count_per_fte: "per FTE" },
  age: { ago: "ago", now: "just now", days: "d" },
  wall: {
    reconnecting: "Connection lost – reconnecting…", connecting: "Connecting…", rebuilding: "Rebuilding figures…",
    target: "Target", staleSince: "No data since", neverData: "No data has arrived",
    unknownBoard: "Unknown board", refused: "This display link is no longer valid – ask for a new one",
    waiting: "Waiting now", longest: "Longest wait", answered: "Answered", abandoned: "Abandoned",
    "legend-calls": "Calls", "legend-expected": "Expected", "legend-sl": "Service level", "legend-target": "Target",
    source: "Case system and import",
    window: { now: "Last 15 min", last_60_min: "Last hour", today: "Today", week: "This week", month: "This month", ytd: "Year to date" },
  },
  staffing: {
    need: "Need", in: "In", endsAt: "Today ends at", target: "target", rate: "Calls per hour (30 min)",
    handle: "Handle time", handleToday: "today", sameWeekday: "same weekday", patience: "Patience",
    model: "Model", reforecast: "Rest of day", hours: "Agent-hours to closing",
    hoursLine: "as now {now} · needed {need} · for today's target {day}",
    stale: "Agents logged in: old snapshot", why: "Missing",
  },
  alerts: {
    critical: "CRITICAL", warning: "WARNING", info: "INFO", acked: "acknowledged by", again: "times again", since: "since",
    ack: "Acknowledge", ackFailed: "The acknowledgement did not go through",
  },
  steering: {
    title: "Daily steering", date: "Date", queues: "Queues", teams: "Teams", callbacks: "Call back",
    signInForCallbacks: "Sign in as a team leader to see the call-back list.", reportTertial: "Tertial report (Excel)",
    reportMonthly: "Monthly report (Excel)", notes: "Events", alarms: "Alerts today", alarmOpen: "open", alarmAcked: "acknowledged by",
    alarmResolved: "resolved", add: "Add",
    callbacksHint: "Gave up in the queue today after waiting longer than a short abandon (short abandons are not counted) and not answered on any later call today.",
    subject: "Queue or team (empty = all)", noteText: "What happened?",
    periods: { yesterday: "Yesterday", week: "This week", month: "Month to date", ytd: "Year to date" },
    measure: "Measure", lastYear: "last year", target: "target",
    ages: "Open cases by age (working days)", loading: "Loading…", failed: "Could not load the figures", none: "None",
    attempts: "attempts", waited: "waited", more: "more",
    asOf: "Data as of", staffing: "Staffing",
    staffingHint: "Now and this week: agents the target needs against agents logged in, and where today ends at today's staffing.",
    day: "Day", calls: "Calls", agentHours: "Agent-hours", peak: "Most at once", serviceLevel: "Service level",
    basis: { actual: "actual", today: "today", expected: "expected" },
    fixTitle: "Fix the tertial report", fixPreview: "Preview", fixStart: "Fix…", fixConfirm: "Fix", fixCancel: "Cancel",
    fixAccept: "I have gone through the rows without data and fix the report anyway", fixedBy: "Fixed {when} by {by}",
    fixGaps: "with {n} rows without data", preliminary: "Preliminary, not fixed", missingRows: "{n} rows without data",
    fixQuestion: "Fix {name}? The figures are locked: every later export reproduces the fixed report.",
    fixRefused: "Not fixed",
    fixGapsRefused: "Not fixed: {n} rows have no data. Fix only if that is right, by accepting the gaps.",
    fixForbidden: "Only administrators can fix the report.",
  },
  login: {
    title: "Sign in", username: "User name", password: "Password", signIn: "Sign in", continue: "Continue", signOut: "Sign out",
    signInAsOther: "Sign in as someone else", signedInAs: "You are signed in as {name}.", signedInAsWithRoles: "You are signed in as {name} ({roles}).",
    wrong: "Wrong user name or password.", tooMany: "Too many attempts from here. Try again later.",
    expired: "The form has expired. Reload the page and sign in again.", failed: "Signing in did not go through ({status}). Try again.",
  },
  roles: { viewer: "viewer", teamleader: "team leader", admin: "administrator" },
  admin: {
    notSaved: "Not saved: {error}", signedInAs: "Signed in as {name}",
    units: { percent: "percent", seconds: "seconds", count: "count", count_per_fte: "per FTE", days: "days", index: "index", score: "score" },
    targetLabel: "Target {kpi}", toleranceLabel: "Tolerance {kpi}", periodicity: { "År": "Year", "Tertial": "Tertial" },
    changedHere: "changed here", cityDocument: "the city's document", noTarget: "no target", carriedForward: "{source} {from}, in force {year}",
    save: "Save", revert: "Revert", targetSaved: "Target for {kpi} {year} saved.", targetReverted: "The document's target is back.",
    versionFrom: "v{version} from {from}: {parameters}", validFrom: "In force from {kpi}", newVersion: "New version", versionSaved: "New version of {kpi} saved.",
    team: "Team", fteLabel: "FTE {team} {month}", staffingSaved: "Staffing {team} {month} saved.",
    boardChanged: " – changed", boardOverridden: "Changed here (in force over the file).", boardAsFile: "As in the file.",
    boardSaved: "Board saved.", boardReverted: "Board reverted.", boardCreated: "Board {id} created.",
    rulesOverridden: "Changed here (in force over {file})", rulesAsFile: "As in {file}", rulesCount: "{state}, {n} rules.",
    rulesSaved: "Alert rules saved.", rulesReverted: "Alert rules reverted.",
    noQuarantine: "No contacts in quarantine.", quarantineCount: "{n} contacts in quarantine (the latest are shown).",
    revoked: "revoked {when}", active: "active", revoke: "Revoke", keyRevoked: "Key revoked.",
    keyCreated: "Key created.", keyShown: "Key for {source} (shown only now): {key}",
    roleLabel: "Role {user}", roleChanged: "Role changed.", disabled: "disabled", locked: "locked", enable: "Enable", disable: "Disable",
    userChanged: "User changed.", userCreated: "User created.",
    linkRevoked: "Link revoked; open screens are disconnected.", linkShown: "Link (shown only now): {url}", linkCreated: "Display link created.",
  },
  // The administration page's fixed labels (admin.html's data-label keys).
  adminPage: {
    title: "Administration", wallScreen: "Wall screen", steering: "Daily steering",
    needsAdmin: "Administration needs an administrator.", signIn: "Sign in", tabTargets: "Targets",
    tabParameters: "KPI parameters", tabStaffing: "Staffing (FTE)", tabBoards: "Boards", tabAlerts: "Alert rules",
    tabSources: "Sources and keys", tabUsers: "Users", tabDisplays: "Display links", tabAudit: "Change log",
    targetsHeading: "Targets per year",
    targetsHint: "Values in the KPI's unit (percent as 0–100). A saved target replaces the target from the city's document for the same year; \"Revert\" brings the document's target back.",
    year: "Year", kpi: "KPI", unit: "Unit", tolerance: "Tolerance", band: "Band", periodicity: "Periodicity",
    origin: "Origin", versions: "Versions", newVersion: "New version",
    parametersHint: "A change becomes a new version of the definition from a date (today or later). Periods before that date keep their version, so a report can always be reproduced.",
    staffingHeading: "Staffing in FTE per team and month",
    staffingHint: "Changes go through the same checks as an import of the staffing file and are logged with old and new value.",
    boardsHint: "The board's JSON in the same format as the files in the dashboards folder. A saved board is in force over the file; \"Revert\" brings the file's back.",
    board: "Board", saveBoard: "Save board", revertToFile: "Revert to the file", newBoardId: "New board with id",
    createFromSelected: "Create from selected",
    alertsHint: "Rules and channels in the same format as alerts.json. Errors are shown with the field's path and nothing is changed.",
    saveRules: "Save rules", sources: "Sources",
    sourcesHint: "Addresses, folders and secrets of the sources are in the configuration (environment variables), not here.",
    source: "Source", channel: "Channel", lastSuccess: "Last success", lastError: "Last error",
    rowsToday: "Rows today", refusedToday: "Refused today", quarantine: "Quarantine",
    quarantineHint: "Contacts that could not be counted (for instance a time no calendar holds) are moved here with the reason; everything else is counted on.",
    seq: "Sequence", contact: "Contact", queue: "Queue", stage: "Stage", reason: "Reason",
    quarantinedSince: "In quarantine since", apiKeys: "API keys for ingestion", createKey: "Create key", id: "Id",
    created: "Created", lastUsed: "Last used", status: "Status", role: "Role", newUser: "New user", name: "Name",
    password: "Password", create: "Create", displaysHeading: "Display links for wall screens", label: "Label",
    createLink: "Create link", screensNow: "Screens now", time: "Time", who: "Who", what: "What", entity: "Object",
    before: "Before", after: "After", target: "Target",
  },
};

const dictionaries: Record<Lang, Texts> = { sv, en };

/** The texts of one language. */
export function textsFor(lang: Lang): Texts {
  return dictionaries[lang];
}

/** Sets every `[data-label]` element's text and `[data-placeholder]` input's placeholder from a section of the texts. */
export function applyLabels(root: ParentNode, section: Record<string, unknown>): void {
  for (const el of root.querySelectorAll<HTMLElement>("[data-label]")) {
    const text = section[el.dataset.label ?? ""];
    if (typeof text === "string") { el.textContent = text; }
  }
  for (const el of root.querySelectorAll<HTMLInputElement>("[data-placeholder]")) {
    const text = section[el.dataset.placeholder ?? ""];
    if (typeof text === "string") { el.placeholder = text; }
  }
}
