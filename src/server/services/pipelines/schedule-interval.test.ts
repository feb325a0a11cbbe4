import { describe, expect, it } from "vitest";
import { CronError, parseCron } from "../../core/queue/cron.js";
import { shortestGapMinutes } from "./schedule-interval.js";

const gap = (cron: string, from = new Date("2026-01-01T00:00:00Z")) => shortestGapMinutes(parseCron(cron), from);

describe("shortestGapMinutes", () => {
  it("measures steps, lists and ranges within a day", () => {
    expect(gap("* * * * *")).toBe(1);
    expect(gap("*/5 * * * *")).toBe(5);
    expect(gap("*/15 * * * *")).toBe(15);
    expect(gap("0 * * * *")).toBe(60);
    expect(gap("0,10,50 * * * *")).toBe(10);
    expect(gap("7-9 3 * * *")).toBe(1);
    expect(gap("0 9-17 * * 1-5")).toBe(60);
  });

  it("measures the gap across midnight, also when only some days fire", () => {
    expect(gap("0 0 * * *")).toBe(1440);
    expect(gap("30 6 * * 1")).toBe(7 * 1440);
    expect(gap("55 23 * * *")).toBe(1440);
    // Firings at 00:00 and 23:59: a minute apart around every midnight between firing days.
    expect(gap("0,59 0,23 * * *")).toBe(1);
    // Only Monday to Tuesday are consecutive firing days: found however far off Monday is.
    expect(gap("0,59 0,23 * * 1,2", new Date("2026-01-06T12:00:00Z"))).toBe(1);
    // Monday only: midnight firings are a week apart, so the day's own gaps count.
    expect(gap("0,59 0,23 * * 1")).toBe(59);
    // The 31st and the 1st are consecutive days at the end of every long month.
    expect(gap("50 23 31 * *")).toBeGreaterThan(1440);
    expect(gap("50 23,0 1,31 * *")).toBe(60);
  });

  it("throws CronError for a schedule that never fires", () => {
    expect(() => gap("0 0 31 2 *")).toThrow(CronError);
  });
});
