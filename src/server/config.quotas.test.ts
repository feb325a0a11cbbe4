import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig: storage limits and schedules", () => {
  it("bounds storage and schedules by default", () => {
    expect(loadConfig({}).pipelines).toMatchObject({
      quota: { storageBytes: 1024 ** 3, datasets: 100 },
      scheduleMinIntervalMinutes: 15,
      scheduledOutputRetention: 5,
    });
  });

  it("reads the settings and names the one that is wrong", () => {
    const config = loadConfig({
      STORAGE_QUOTA_BYTES: "5000000",
      MAX_DATASETS_PER_USER: "7",
      SCHEDULE_MIN_INTERVAL_MINUTES: "60",
      SCHEDULED_OUTPUT_RETENTION: "1",
    });
    expect(config.pipelines).toMatchObject({
      quota: { storageBytes: 5_000_000, datasets: 7 },
      scheduleMinIntervalMinutes: 60,
      scheduledOutputRetention: 1,
    });
    expect(() => loadConfig({ STORAGE_QUOTA_BYTES: "0" })).toThrow(/^STORAGE_QUOTA_BYTES:/);
    expect(() => loadConfig({ MAX_DATASETS_PER_USER: "-1" })).toThrow(/^MAX_DATASETS_PER_USER:/);
    expect(() => loadConfig({ SCHEDULE_MIN_INTERVAL_MINUTES: "0" })).toThrow(/^SCHEDULE_MIN_INTERVAL_MINUTES:/);
    expect(() => loadConfig({ SCHEDULED_OUTPUT_RETENTION: "0" })).toThrow(/^SCHEDULED_OUTPUT_RETENTION:/);
  });
});
