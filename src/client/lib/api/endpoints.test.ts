import { describe, expect, it } from "vitest";
import { reconnectDelayMs, trpcWebSocketUrl } from "./endpoints";

describe("trpcWebSocketUrl", () => {
  it("uses the page's host and port, on a secure socket when the page is secure", () => {
    expect(trpcWebSocketUrl({ protocol: "http:", host: "127.0.0.1:3000" })).toBe("ws://127.0.0.1:3000/trpc");
    expect(trpcWebSocketUrl({ protocol: "https:", host: "gantry.example" })).toBe("wss://gantry.example/trpc");
  });
});

describe("reconnectDelayMs", () => {
  it("retries at once, then waits longer each time, never more than 10 s", () => {
    const noJitter = () => 1;
    const delays = [0, 1, 2, 3, 4, 5, 6, 20].map((attempt) => reconnectDelayMs(attempt, noJitter));
    expect(delays).toEqual([0, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it("spreads reconnects out between half and all of the step", () => {
    expect(reconnectDelayMs(3, () => 0)).toBe(1000);
    expect(reconnectDelayMs(3, () => 0.999_999)).toBe(2000);
  });
});
