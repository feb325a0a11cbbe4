import { describe, expect, it } from "vitest";
import { retentionText } from "./scheduleRules";

describe("retentionText", () => {
  it("says how many scheduled outputs are kept", () => {
    expect(retentionText({ minIntervalMinutes: 15, keepOutputs: 5 })).toMatch(/^A schedule keeps the last 5 outputs/);
    expect(retentionText({ minIntervalMinutes: 15, keepOutputs: 1 })).toMatch(/^A schedule keeps the last output /);
  });
});
