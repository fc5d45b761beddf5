import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  nextStockholmTime, parseDate, stockholmDate, stockholmDay, stockholmInstant, stockholmLocalInput, stockholmOffsetMinutes,
} from "../src/shared/stockholm";

describe("Stockholm time", () => {
  test("stockholmOffsetMinutes_WinterAndSummer_OneAndTwoHours", () => {
    assert.equal(stockholmOffsetMinutes(Date.UTC(2026, 0, 15, 12)), 60);
    assert.equal(stockholmOffsetMinutes(Date.UTC(2026, 6, 15, 12)), 120);
  });
  test("stockholmDate_LateUtcEvening_NextStockholmDay", () => {
    assert.equal(stockholmDate(Date.UTC(2026, 11, 31, 23, 30)), "2027-01-01");
    assert.equal(stockholmDate(Date.UTC(2026, 5, 30, 21, 59)), "2026-06-30");
    assert.equal(stockholmDate(Date.UTC(2026, 5, 30, 22, 0)), "2026-07-01");
  });
  test("stockholmInstant_Ordinary_ThatWallTime", () => {
    assert.equal(stockholmInstant(2026, 10, 15, 10, 30).toISOString(), "2026-10-15T08:30:00.000Z");
    assert.equal(stockholmInstant(2026, 12, 24, 15, 0).toISOString(), "2026-12-24T14:00:00.000Z");
  });
  test("stockholmInstant_SkippedSpringHour_SameClockAfterSwitch", () => {
    assert.equal(stockholmInstant(2027, 3, 28, 2, 30).toISOString(), "2027-03-28T01:30:00.000Z");
  });
  test("stockholmInstant_RepeatedAutumnHour_FirstPassing", () => {
    assert.equal(stockholmInstant(2026, 10, 25, 2, 30).toISOString(), "2026-10-25T00:30:00.000Z");
  });
  test("stockholmDay_SpringSwitch_TwentyThreeHours", () => {
    const day = stockholmDay("2027-03-28")!;
    assert.equal(day.from.toISOString(), "2027-03-27T23:00:00.000Z");
    assert.equal(day.to.toISOString(), "2027-03-28T22:00:00.000Z");
  });
  test("stockholmDay_AutumnSwitch_TwentyFiveHours", () => {
    const day = stockholmDay("2026-10-25")!;
    assert.equal((day.to.getTime() - day.from.getTime()) / 3_600_000, 25);
  });
  test("stockholmDay_YearEnd_EndsAtNewYear", () => {
    const day = stockholmDay("2026-12-31")!;
    assert.equal(day.to.toISOString(), "2026-12-31T23:00:00.000Z");
  });
  test("stockholmDay_NotADate_Null", () => {
    assert.equal(stockholmDay("31/12/2026"), null);
    assert.equal(parseDate(""), null);
  });
  test("stockholmLocalInput_DatetimeLocalValue_ReadAsStockholm", () => {
    assert.equal(stockholmLocalInput("2026-10-15T10:30")!.toISOString(), "2026-10-15T08:30:00.000Z");
    assert.equal(stockholmLocalInput(""), null);
  });
  test("nextStockholmTime_BeforeThree_TonightAtThree", () => {
    const now = Date.UTC(2026, 9, 15, 0, 10); // 02:10 in Stockholm
    assert.equal(nextStockholmTime(now, 3, 12).toISOString(), "2026-10-15T01:12:00.000Z");
  });
  test("nextStockholmTime_AfterThree_TomorrowAtThree", () => {
    const now = Date.UTC(2026, 9, 15, 8, 30); // 10:30
    assert.equal(nextStockholmTime(now, 3, 0).toISOString(), "2026-10-16T01:00:00.000Z");
  });
  test("nextStockholmTime_NightBeforeSpringSwitch_ThreeOClockSummerTime", () => {
    const now = Date.UTC(2027, 2, 27, 22, 58); // 23:58 on the Saturday
    assert.equal(nextStockholmTime(now, 3, 0).toISOString(), "2027-03-28T01:00:00.000Z");
  });
});
