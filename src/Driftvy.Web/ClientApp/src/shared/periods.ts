// The city's reporting periods as the steering page links them: tertials T1 (Jan–Apr), T2 (May–Aug) and the
// annual report VB (Sep–Dec, covering the year).

export interface TertialRef { year: number; point: "T1" | "T2" | "VB" }

/** The tertial a month falls in. */
export function tertialOf(year: number, month: number): TertialRef {
  return { year, point: month <= 4 ? "T1" : month <= 8 ? "T2" : "VB" };
}

/** The last tertial that has ended by a month: the one there is something to fix. */
export function finishedTertial(year: number, month: number): TertialRef {
  return month <= 4 ? { year: year - 1, point: "VB" } : month <= 8 ? { year, point: "T1" } : { year, point: "T2" };
}

/** The month the monthly report is made for in a month: the one before it. */
export function monthlyReportFor(year: number, month: number): { year: number; month: number } {
  return month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
}
