import { describe, expect, it } from "vitest";
import { formatUptime } from "./format";

describe("formatUptime", () => {
  it("uses the largest units that still tell a fresh restart from a long run", () => {
    expect(formatUptime(0)).toBe("0 s");
    expect(formatUptime(59.6)).toBe("59 s");
    expect(formatUptime(60)).toBe("1 min");
    expect(formatUptime(3 * 3600 + 5 * 60 + 9)).toBe("3 h 5 min");
    expect(formatUptime(2 * 86_400 + 4 * 3600 + 59)).toBe("2 d 4 h");
  });
});
