import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { acknowledgedText, alertText, bannerAlerts } from "../src/shared/alerts";
import { problemText } from "../src/shared/api";
import { Formats } from "../src/shared/format";
import { finishedTertial, monthlyReportFor, tertialOf } from "../src/shared/periods";
import { localReturnUrl } from "../src/shared/returnUrl";
import type { AlertView } from "../src/shared/wire";

const alert = (id: string, severity: string, extra: Partial<AlertView> = {}): AlertView => ({
  id, ruleId: "r-" + id, name: "Lång kö " + id, severity, queue: "kc-stockholm", value: null, firedAt: "2026-10-15T08:30:00Z",
  acknowledgedAt: null, acknowledgedBy: null, acknowledgeComment: null, resolvedAt: null, refires: 0, ...extra,
});

describe("alert banner", () => {
  test("bannerAlerts_MixedSeverities_CriticalFirstAtMostThree", () => {
    const shown = bannerAlerts([alert("1", "info"), alert("2", "warning"), alert("3", "critical"), alert("4", "warning")]);
    assert.deepEqual(shown.map(a => a.id), ["3", "2", "4"]);
  });
  test("alertText_Swedish_IconWordNameAndStockholmTime", () => {
    assert.equal(alertText(alert("1", "critical"), new Formats("sv")), "✖ KRITISKT: Lång kö 1 (sedan 10:30)");
    assert.equal(alertText(alert("1", "warning", { refires: 2 }), new Formats("en")), "▲ WARNING: Lång kö 1 (since 10:30) · 2 times again");
  });
  test("acknowledgedText_WhoAndWhen", () => {
    const a = alert("1", "critical", { acknowledgedBy: "anna", acknowledgedAt: "2026-10-15T08:42:00Z" });
    assert.equal(acknowledgedText(a, new Formats("sv")), "✔ kvitterat av anna 10:42");
  });
});

describe("report periods", () => {
  test("tertialOf_Months_T1T2VB", () => {
    assert.deepEqual([1, 4, 5, 8, 9, 12].map(m => tertialOf(2026, m).point), ["T1", "T1", "T2", "T2", "VB", "VB"]);
  });
  test("finishedTertial_January_LastYearsAnnualReport", () => {
    assert.deepEqual(finishedTertial(2027, 1), { year: 2026, point: "VB" });
    assert.deepEqual(finishedTertial(2026, 5), { year: 2026, point: "T1" });
    assert.deepEqual(finishedTertial(2026, 12), { year: 2026, point: "T2" });
  });
  test("monthlyReportFor_January_DecemberOfLastYear", () => {
    assert.deepEqual(monthlyReportFor(2027, 1), { year: 2026, month: 12 });
    assert.deepEqual(monthlyReportFor(2026, 11), { year: 2026, month: 10 });
  });
});

describe("sign-in return address", () => {
  const origin = "https://driftvy.example";
  test("localReturnUrl_PathOnThisSite_Kept", () => {
    assert.equal(localReturnUrl("/boards/ekonomi?lang=en#x", origin), "/boards/ekonomi?lang=en#x");
  });
  test("localReturnUrl_OtherSiteInDisguise_Refused", () => {
    for (const bad of ["//evil.example/x", "/\\evil.example/x", "https://evil.example/", "/%2F/evil.example", "", null]) {
      const got = localReturnUrl(bad, origin);
      assert.ok(got === null || (!got.startsWith("//") && got.startsWith("/")), String(bad) + " → " + got);
    }
    assert.equal(localReturnUrl("//evil.example/x", origin), null);
    assert.equal(localReturnUrl("https://evil.example/", origin), null);
  });
});

describe("problem answers", () => {
  test("problemText_FieldErrors_FieldAndMessage", () => {
    assert.equal(problemText(400, "Bad Request", { errors: { year: ["must be 2000–2100"], value: ["required", "a number"] } }),
      "year: must be 2000–2100; value: required a number");
  });
  test("problemText_DetailOrTitleOrStatus", () => {
    assert.equal(problemText(409, "Conflict", { title: "Conflict", detail: "Rule r1 is invalid" }), "Rule r1 is invalid");
    assert.equal(problemText(403, "Forbidden", { title: "Forbidden" }), "Forbidden");
    assert.equal(problemText(502, "Bad Gateway", null), "502 Bad Gateway");
  });
});
