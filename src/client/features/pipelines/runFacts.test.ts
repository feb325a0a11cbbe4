import { describe, expect, it } from "vitest";
import { formatDuration, runDuration, runErrorAdvice } from "./runFacts";

describe("formatDuration", () => {
  it("uses the precision a person needs at each scale", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_400)).toBe("12.4 s");
    expect(formatDuration(185_000)).toBe("3 min 05 s");
    expect(formatDuration(3_720_000)).toBe("1 h 02 min");
  });
});

describe("runDuration", () => {
  it("measures a finished run from start to finish, a running one until now, and nothing before it starts", () => {
    const startedAt = new Date("2026-12-03T19:40:00Z");
    expect(runDuration({ startedAt, finishedAt: new Date("2026-12-03T19:40:02.5Z") }, new Date())).toBe("2.5 s");
    expect(runDuration({ startedAt, finishedAt: null }, new Date("2026-12-03T19:41:00Z"))).toBe("1 min 00 s");
    expect(runDuration({ startedAt: null, finishedAt: null }, new Date())).toBeNull();
  });
});

describe("runErrorAdvice", () => {
  it("says what to do next for the limits a run can hit", () => {
    expect(runErrorAdvice("The join makes more rows than PIPELINE_JOIN_MAX_ROWS allows")).toMatch(/Narrow the join/);
    expect(runErrorAdvice("The run exceeded its time limit (PIPELINE_RUN_TIMEOUT_MS)")).toMatch(/Filter or limit/);
    expect(runErrorAdvice("Over your storage quota")).toMatch(/Delete data sets/);
    expect(runErrorAdvice('Step 2: column "x" does not exist')).toMatch(/check the marked step/);
  });
});
