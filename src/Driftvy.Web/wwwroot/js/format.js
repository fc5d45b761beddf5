// Shared by the wall screen and the steering view: language, texts and number formats.
// Swedish by default ("85 %", "1 041", decimal comma); ?lang=en switches to English.
"use strict";

(function () {
  const params = new URLSearchParams(location.search);
  const lang = params.get("lang") === "en" ? "en" : "sv";
  document.documentElement.lang = lang;
  const locale = lang === "en" ? "en-GB" : "sv-SE";

  const texts = {
    sv: {
      reconnecting: "Anslutningen bröts – återansluter…", connecting: "Ansluter…", rebuilding: "Bygger om siffror…",
      target: "Mål", onTarget: "Når målet", nearTarget: "Nära målet", offTarget: "Under målet", noData: "Inget utfall än",
      noTarget: "Mål saknas", staleSince: "Data saknas sedan", neverData: "Inga data har kommit", ago: "sedan", now: "nyss",
      unknownBoard: "Okänd tavla", refused: "Visningslänken gäller inte längre – be om en ny länk",
      waiting: "I kö nu", longest: "Längsta väntan", answered: "Besvarade", abandoned: "Avbrutna",
      "legend-calls": "Samtal", "legend-expected": "Förväntat", "legend-sl": "Servicenivå", "legend-target": "Mål",
      source: "Ärendesystem och import", imported: "Importerat",
      staffing: {
        need: "Behov", in: "Inne", endsAt: "Dagen slutar på", target: "mål", rate: "Samtal per timme (30 min)",
        handle: "Hanteringstid", handleFrom: { today: "idag" }, sameWeekday: "samma veckodag", patience: "Tålamod",
        model: "Modell", reforecast: "Resten av dagen", hours: "Agenttimmar till stängning",
        hoursLine: (now, need, day) => "som nu " + now + " · behövs " + need + " · för dagens mål " + day,
        stale: "Inloggade agenter: gammal ögonblicksbild", why: "Saknas",
      },
      window: { now: "Senaste 15 min", last_60_min: "Senaste timmen", today: "Idag", week: "Veckan", month: "Månaden", ytd: "Året hittills" },
      units: { days: "dagar", seconds: "s", count_per_fte: "per åa" },
    },
    en: {
      reconnecting: "Connection lost – reconnecting…", connecting: "Connecting…", rebuilding: "Rebuilding figures…",
      target: "Target", onTarget: "On target", nearTarget: "Near target", offTarget: "Below target", noData: "No result yet",
      noTarget: "No target", staleSince: "No data since", neverData: "No data has arrived", ago: "ago", now: "just now",
      unknownBoard: "Unknown board", refused: "This display link is no longer valid – ask for a new one",
      waiting: "Waiting now", longest: "Longest wait", answered: "Answered", abandoned: "Abandoned",
      "legend-calls": "Calls", "legend-expected": "Expected", "legend-sl": "Service level", "legend-target": "Target",
      source: "Case system and import", imported: "Imported",
      staffing: {
        need: "Need", in: "In", endsAt: "Today ends at", target: "target", rate: "Calls per hour (30 min)",
        handle: "Handle time", handleFrom: { today: "today" }, sameWeekday: "same weekday", patience: "Patience",
        model: "Model", reforecast: "Rest of day", hours: "Agent-hours to closing",
        hoursLine: (now, need, day) => "as now " + now + " · needed " + need + " · for today's target " + day,
        stale: "Agents logged in: old snapshot", why: "Missing",
      },
      window: { now: "Last 15 min", last_60_min: "Last hour", today: "Today", week: "This week", month: "This month", ytd: "Year to date" },
      units: { days: "days", seconds: "s", count_per_fte: "per FTE" },
    },
  };

  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const percentOne = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const timeOfDay = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Stockholm" });
  const dateFormat = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "Europe/Stockholm" });

  function wait(seconds) {
    if (seconds == null) { return "–"; }
    const s = Math.round(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  // A value in its KPI's unit, as a screen shows it.
  function value(v, unit) {
    if (v == null || Number.isNaN(v)) { return "–"; }
    const t = texts[lang];
    switch (unit) {
      case "percent": return (Math.abs(v) < 10 && v !== 0 ? percentOne : percent).format(v / 100);
      case "seconds": return wait(v);
      case "days": return oneDecimal.format(v) + " " + t.units.days;
      case "count": return integer.format(v);
      case "count_per_fte": return v >= 100 ? integer.format(v) : oneDecimal.format(v);
      default: return oneDecimal.format(v);
    }
  }

  function age(ms) {
    const t = texts[lang];
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) { return s + " s " + t.ago; }
    const m = Math.floor(s / 60);
    if (m < 60) { return m + " min " + t.ago; }
    const h = Math.floor(m / 60);
    if (h < 48) { return h + " h " + t.ago; }
    return Math.floor(h / 24) + (lang === "en" ? " d " : " dygn ") + t.ago;
  }

  // A board's, page's or tile's heading in the chosen language (the board files carry both).
  function title(item) { return lang === "en" && item.titleEn ? item.titleEn : item.title; }

  window.Driftvy = {
    lang, locale, text: texts[lang], integer, percent, timeOfDay, dateFormat, value, wait, age, title,
    statusText: {
      "on-target": ["✓", texts[lang].onTarget],
      "near-target": ["▲", texts[lang].nearTarget],
      "off-target": ["✕", texts[lang].offTarget],
      "no-data": ["–", texts[lang].noData],
      "no-target": ["○", texts[lang].noTarget],
    },
  };
})();
