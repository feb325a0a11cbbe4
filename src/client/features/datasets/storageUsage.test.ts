import { describe, expect, it } from "vitest";
import { compactBytes, usageSummary, usageWarning } from "./storageUsage";

const GB = 1024 ** 3;
const usage = (usedBytes: number, datasets: number) => ({ usedBytes, limitBytes: GB, datasets, maxDatasets: 100 });

describe("storage usage", () => {
  it("reads like a sentence", () => {
    expect(usageSummary(usage(312 * 1024 ** 2, 12))).toBe("312 MB of 1 GB, 12 of 100 data sets");
    expect(usageSummary(usage(0, 0))).toBe("0 bytes of 1 GB, 0 of 100 data sets");
    expect(compactBytes(1536)).toBe("1.5 KB");
    expect(compactBytes(16_384)).toBe("16 KB");
  });

  it("warns near a limit and says what to do at one", () => {
    expect(usageWarning(usage(GB / 2, 50))).toBeNull();
    expect(usageWarning(usage(0.95 * GB, 1))).toMatchObject({ level: "near" });
    expect(usageWarning(usage(0, 95))).toMatchObject({ level: "near" });
    expect(usageWarning(usage(GB, 1))).toMatchObject({ level: "full", message: expect.stringMatching(/delete/) });
    expect(usageWarning(usage(0, 100))).toMatchObject({ level: "full" });
  });
});
