import { describe, expect, it } from "vitest";
import { cacheKey, UnkeyableArgumentError } from "./key.js";

const key = (...args: unknown[]) => cacheKey("fn", args);

describe("cacheKey", () => {
  it("gives equal arguments equal keys whatever their object key order", () => {
    expect(key({ a: 1, b: { c: [1, 2], d: "x" } })).toBe(key({ b: { d: "x", c: [1, 2] }, a: 1 }));
    expect(key(new Set([1, 2]), new Map([["a", 1]]))).toBe(key(new Set([2, 1]), new Map([["a", 1]])));
    expect(key(new Date("2024-01-01T00:00:00Z"))).toBe(key(new Date("2024-01-01T00:00:00.000Z")));
  });

  it("never gives distinct arguments the same key", () => {
    const distinct = [
      key(),
      key(null),
      key(Number.NaN),
      key(Number.POSITIVE_INFINITY),
      key(1),
      key("1"),
      key(1n),
      key([1]),
      key([undefined]),
      key([null]),
      key(true),
      key("true"),
      key(new Date(0)),
      key(new Date(0).toISOString()),
      key({ $d: new Date(0).toISOString() }),
      key({ a: 1 }),
      key({ a: "1" }),
      key(1, 2),
      key([1, 2]),
      key(new Set([1])),
      key(new Map([[1, 1]])),
    ];
    expect(new Set(distinct).size).toBe(distinct.length);
    expect(cacheKey("a", [1])).not.toBe(cacheKey("b", [1]));
  });

  it("treats absent and undefined as the same argument or property", () => {
    expect(key(1)).toBe(key(1, undefined));
    expect(key({ a: 1 })).toBe(key({ a: 1, b: undefined }));
  });

  it("stays short for big arguments, still distinct", () => {
    const big = key({ ids: Array.from({ length: 1000 }, (_, i) => i) });
    const bigger = key({ ids: Array.from({ length: 1001 }, (_, i) => i) });
    expect(big.length).toBeLessThan(80);
    expect(big).not.toBe(bigger);
    expect(big.startsWith("fn:#")).toBe(true);
  });

  it("refuses functions, class instances and cycles, naming where they are", () => {
    class Repo {}
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => key({ cb: () => 1 })).toThrow(UnkeyableArgumentError);
    expect(() => key("ok", new Repo())).toThrow(/class instance at \[1\]/);
    expect(() => key(cyclic)).toThrow(/cycle at \[0\]\.self/);
    // The same object twice is not a cycle.
    const shared = { a: 1 };
    expect(() => key([shared, shared])).not.toThrow();
  });
});
