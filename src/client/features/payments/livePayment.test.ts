import { describe, expect, it } from "vitest";
import { keepNewer } from "./livePayment";

const at = (iso: string, status: string) => ({ status, updatedAt: new Date(iso) });

describe("keepNewer", () => {
  it("ignores a query answer older than what the live feed already showed", () => {
    const live = at("2025-01-01T10:00:01Z", "succeeded");
    const late = at("2025-01-01T10:00:00Z", "processing");
    expect(keepNewer(live, late)).toBe(live);
  });

  it("takes newer and equally recent copies (a refund list can change without the payment)", () => {
    const old = at("2025-01-01T10:00:00Z", "processing");
    const newer = at("2025-01-01T10:00:01Z", "succeeded");
    const same = at("2025-01-01T10:00:00Z", "processing");
    expect(keepNewer(old, newer)).toBe(newer);
    expect(keepNewer(old, same)).toBe(same);
    expect(keepNewer(undefined, old)).toBe(old);
  });
});
