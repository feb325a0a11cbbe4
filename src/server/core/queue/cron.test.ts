import { afterEach, describe, expect, it, vi } from "vitest";
import { CronError, parseCron } from "./cron.js";
import { startScheduleTimer } from "./schedule-timer.js";

const next = (expression: string, after: string) => parseCron(expression).next(new Date(after)).toISOString();

describe("parseCron", () => {
  it("finds the next matching minute, strictly after the given time", () => {
    expect(next("*/15 * * * *", "2024-01-01T10:07:30Z")).toBe("2024-01-01T10:15:00.000Z");
    expect(next("0 3 * * *", "2024-01-01T03:00:00Z")).toBe("2024-01-02T03:00:00.000Z");
    expect(next("5/20 * * * *", "2024-01-01T10:26:00Z")).toBe("2024-01-01T10:45:00.000Z");
    expect(next("0,30 9-10 * * *", "2024-01-01T10:30:00Z")).toBe("2024-01-02T09:00:00.000Z");
  });

  it("skips days, months and years that do not match", () => {
    // Friday 2024-01-05 after 03:00 -> Monday.
    expect(next("30 2 * * 1-5", "2024-01-05T03:00:00Z")).toBe("2024-01-08T02:30:00.000Z");
    expect(next("0 0 1 1 *", "2024-06-01T00:00:00Z")).toBe("2025-01-01T00:00:00.000Z");
    expect(next("0 0 29 2 *", "2024-03-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
  });

  it("treats 7 as Sunday and ORs the two day fields when both are set", () => {
    expect(next("0 12 * * 7", "2024-01-01T00:00:00Z")).toBe("2024-01-07T12:00:00.000Z");
    // The 13th or any Friday: Friday the 5th comes first.
    expect(next("0 0 13 * 5", "2024-01-01T00:00:00Z")).toBe("2024-01-05T00:00:00.000Z");
  });

  it("rejects malformed expressions with the field at fault", () => {
    expect(() => parseCron("* * *")).toThrow(/5 fields/);
    expect(() => parseCron("60 * * * *")).toThrow(/minute/);
    expect(() => parseCron("* 24 * * *")).toThrow(/hour/);
    expect(() => parseCron("* * 0 * *")).toThrow(/day-of-month/);
    expect(() => parseCron("*/0 * * * *")).toThrow(/zero step/);
    expect(() => parseCron("5-1 * * * *")).toThrow(CronError);
    expect(() => parseCron("@daily * * * *")).toThrow(CronError);
  });

  it("reports an expression that can never fire", () => {
    expect(() => parseCron("0 0 31 2 *").next(new Date("2024-01-01T00:00:00Z"))).toThrow(/never fires/);
  });
});

describe("startScheduleTimer", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fires on cron minutes in UTC and stops when told", async () => {
    vi.useFakeTimers({ now: new Date("2024-01-01T00:03:10Z") });
    const fired: string[] = [];
    const timer = startScheduleTimer(
      { cron: "*/5 * * * *" },
      async () => {
        fired.push(new Date().toISOString());
      },
      (error) => {
        throw error;
      },
    );
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(fired).toEqual(["2024-01-01T00:05:00.000Z"]);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(fired).toEqual(["2024-01-01T00:05:00.000Z", "2024-01-01T00:10:00.000Z"]);
    timer.stop();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(fired).toHaveLength(2);
  });

  it("waits across timer limits for far-away runs", async () => {
    vi.useFakeTimers({ now: new Date("2024-01-01T00:00:00Z") });
    let fired = 0;
    // March 1st is 60 days away: more than one setTimeout can wait.
    const timer = startScheduleTimer(
      { cron: "0 0 1 3 *" },
      async () => void fired++,
      () => {},
    );
    await vi.advanceTimersByTimeAsync(30 * 24 * 3600_000);
    expect(fired).toBe(0);
    await vi.advanceTimersByTimeAsync(31 * 24 * 3600_000);
    expect(fired).toBe(1);
    timer.stop();
  });
});
