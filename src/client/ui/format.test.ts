import { describe, expect, it } from "vitest";
import { describeUserAgent, formatUptime } from "./format";

describe("formatUptime", () => {
  it("uses the largest units that still tell a fresh restart from a long run", () => {
    expect(formatUptime(0)).toBe("0 s");
    expect(formatUptime(59.6)).toBe("59 s");
    expect(formatUptime(60)).toBe("1 min");
    expect(formatUptime(3 * 3600 + 5 * 60 + 9)).toBe("3 h 5 min");
    expect(formatUptime(2 * 86_400 + 4 * 3600 + 59)).toBe("2 d 4 h");
  });
});

describe("describeUserAgent", () => {
  it("names the browser and the system", () => {
    const chromeLinux =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
    const edgeWindows =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0";
    const safariIphone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    expect(describeUserAgent(chromeLinux)).toBe("Chrome on Linux");
    expect(describeUserAgent(edgeWindows)).toBe("Edge on Windows");
    expect(describeUserAgent(safariIphone)).toBe("Safari on iOS");
  });

  it("falls back to what it can tell", () => {
    expect(describeUserAgent(null)).toBe("Unknown device");
    expect(describeUserAgent("curl/8.5.0")).toBe("curl/8.5.0");
  });
});
