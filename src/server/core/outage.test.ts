import { describe, expect, it } from "vitest";
import { DomainError } from "../utils/domain-error.js";
import { OUTAGE_RETRY_WINDOW_MS, waitsOutOutage } from "./outage.js";

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
const now = Date.parse("2026-12-03T12:00:00Z");

describe("waitsOutOutage", () => {
  it("waits out an outage for work younger than the window", () => {
    expect(waitsOutOutage(refused, now - 1000, OUTAGE_RETRY_WINDOW_MS, now)).toBe(true);
  });

  it("counts an outage as an attempt once the work is older than the window", () => {
    expect(waitsOutOutage(refused, now - OUTAGE_RETRY_WINDOW_MS, OUTAGE_RETRY_WINDOW_MS, now)).toBe(false);
  });

  it("never waits out a failure of the work itself, nor work of unknown age", () => {
    expect(waitsOutOutage(new Error("division by zero"), now, OUTAGE_RETRY_WINDOW_MS, now)).toBe(false);
    expect(waitsOutOutage(refused, Number.NaN, OUTAGE_RETRY_WINDOW_MS, now)).toBe(false);
  });

  it("treats a service answering 'try again later' as an outage", () => {
    const unavailable = new DomainError("SERVICE_UNAVAILABLE", "Redis is unavailable");
    expect(waitsOutOutage(unavailable, now - 1000, OUTAGE_RETRY_WINDOW_MS, now)).toBe(true);
  });
});
