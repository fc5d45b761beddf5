import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Formats } from "../src/shared/format";

// Intl separates groups and percent signs with (narrow) no-break spaces; compare with plain spaces.
const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, " ");
const sv = new Formats("sv");
const en = new Formats("en");

describe("Formats.value", () => {
  test("value_PercentInSwedish_WholeWithSpaceBeforeSign", () => {
    assert.equal(plain(sv.value(85, "percent")), "85 %");
  });
  test("value_SmallPercentInSwedish_OneDecimalWithComma", () => {
    assert.equal(plain(sv.value(4.25, "percent")), "4,3 %");
  });
  test("value_PercentInEnglish_NoSpaceBeforeSign", () => {
    assert.equal(en.value(85, "percent"), "85%");
  });
  test("value_DaysInSwedish_DecimalComma", () => {
    assert.equal(sv.value(3.46, "days"), "3,5 dagar");
    assert.equal(en.value(3.46, "days"), "3.5 days");
  });
  test("value_CountInSwedish_GroupsWithSpace", () => {
    assert.equal(plain(sv.value(1041, "count")), "1 041");
    assert.equal(en.value(1041, "count"), "1,041");
  });
  test("value_SecondsUnit_MinutesAndSeconds", () => {
    assert.equal(sv.value(125, "seconds"), "2:05");
    assert.equal(sv.wait(59.6), "1:00");
  });
  test("value_CountPerFte_DecimalBelowHundredWholeAbove", () => {
    assert.equal(sv.value(42.36, "count_per_fte"), "42,4");
    assert.equal(plain(sv.value(1234.4, "count_per_fte")), "1 234");
  });
  test("value_Nothing_Dash", () => {
    assert.equal(sv.value(null, "percent"), "–");
    assert.equal(sv.value(Number.NaN, "count"), "–");
    assert.equal(sv.integer(undefined), "–");
    assert.equal(sv.wait(null), "–");
  });
  test("share_Fraction_Percentage", () => {
    assert.equal(plain(sv.share(0.8)), "80 %");
    assert.equal(sv.share(null), "–");
  });
  test("gap_SignedWithTrueMinus", () => {
    assert.equal(sv.gap(2), "+2");
    assert.equal(sv.gap(-3), "−3");
    assert.equal(sv.gap(0), "±0");
    assert.equal(sv.gap(null), "–");
  });
});

describe("Formats in Stockholm time", () => {
  test("timeOfDay_WinterInstant_StockholmIsUtcPlusOne", () => {
    assert.equal(sv.timeOfDay("2026-12-31T22:58:00Z"), "23:58");
  });
  test("timeOfDay_SummerInstant_StockholmIsUtcPlusTwo", () => {
    assert.equal(sv.timeOfDay("2026-07-01T08:30:00Z"), "10:30");
  });
  test("timeOfDay_AcrossSpringSwitch_SkipsTwoOClock", () => {
    // 28 March 2027: 01:59:59 CET is followed by 03:00:00 CEST.
    assert.equal(sv.timeOfDay("2027-03-28T00:59:00Z"), "01:59");
    assert.equal(sv.timeOfDay("2027-03-28T01:00:00Z"), "03:00");
  });
  test("timeOfDay_AcrossAutumnSwitch_TwoOClockTwice", () => {
    // 25 October 2026: 02:00–02:59 is lived twice, first in summer time.
    assert.equal(sv.timeOfDay("2026-10-25T00:30:00Z"), "02:30");
    assert.equal(sv.timeOfDay("2026-10-25T01:30:00Z"), "02:30");
    assert.equal(sv.timeOfDay("2026-10-25T02:30:00Z"), "03:30");
  });
  test("clock_WithSeconds_Stockholm", () => {
    assert.equal(sv.clock("2026-10-15T08:30:05Z"), "10:30:05");
  });
  test("dayMonth_SwedishMonthNames", () => {
    assert.equal(sv.dayMonth("2026-10-15T08:30:00Z"), "15 okt.");
    assert.equal(sv.dayMonth("2026-05-03T08:30:00Z"), "3 maj");
    assert.equal(sv.dayMonth("2026-03-03T08:30:00Z"), "3 mars");
    assert.equal(en.dayMonth("2026-10-15T08:30:00Z"), "15 Oct");
  });
  test("dayMonth_UtcEveningOfNewYearsEve_AlreadyJanuaryInStockholm", () => {
    assert.equal(sv.dayMonth("2026-12-31T23:30:00Z"), "1 jan.");
  });
  test("dayMonthOfDate_CalendarDate_SameDayInEveryZone", () => {
    assert.equal(sv.dayMonthOfDate("2026-11-30"), "30 nov.");
  });
  test("minute_YearFirstInStockholm", () => {
    assert.equal(sv.minute("2026-06-30T22:15:00Z"), "2026-07-01 00:15");
    assert.equal(en.minute(Date.UTC(2026, 0, 1, 12, 0)), "2026-01-01 13:00");
    assert.equal(sv.minute(null), "–");
  });
});

describe("Formats.age", () => {
  test("age_SecondsMinutesHoursDays_Swedish", () => {
    assert.equal(sv.age(12_400), "12 s sedan");
    assert.equal(sv.age(3 * 60_000 + 5_000), "3 min sedan");
    assert.equal(sv.age(5 * 3_600_000), "5 h sedan");
    assert.equal(sv.age(3 * 86_400_000), "3 dygn sedan");
  });
  test("age_English_Ago", () => {
    assert.equal(en.age(90_000), "1 min ago");
    assert.equal(en.age(50 * 3_600_000), "2 d ago");
  });
  test("age_ClockSlightlyBehind_NeverNegative", () => {
    assert.equal(sv.age(-1500), "0 s sedan");
  });
});

describe("Formats.status and title", () => {
  test("status_Known_IconAndWord", () => {
    assert.deepEqual(sv.status("on-target"), ["✓", "Når målet"]);
    assert.deepEqual(en.status("off-target"), ["✕", "Below target"]);
  });
  test("status_Unknown_NoData", () => {
    assert.deepEqual(sv.status("something-new"), ["–", "Inget utfall än"]);
  });
  test("title_EnglishWithoutTwin_Swedish", () => {
    assert.equal(en.title({ title: "Kö", titleEn: "Queue" }), "Queue");
    assert.equal(en.title({ title: "Kö", titleEn: "" }), "Kö");
    assert.equal(sv.title({ title: "Kö", titleEn: "Queue" }), "Kö");
  });
});
