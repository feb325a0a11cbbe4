import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "../../../server/trpc/router.js";
import { type Attempt, attemptAfter, attemptFor, fingerprintOf, newIdempotencyKey } from "./idempotentAttempt";

type ErrorData = NonNullable<TRPCClientError<AppRouter>["data"]>;

function answered(message: string, data: ErrorData): TRPCClientError<AppRouter> {
  return new TRPCClientError<AppRouter>(message, { result: { error: { code: -32600, message, data } } });
}

const offline = new TRPCClientError<AppRouter>("Failed to fetch", { cause: new TypeError("Failed to fetch") });
const unavailable = answered("The payment provider did not answer.", { code: "SERVICE_UNAVAILABLE", httpStatus: 503 });
const refused = answered("Unsupported currency", { code: "BAD_REQUEST", httpStatus: 400 });

function keys(...values: string[]): () => string {
  const queue = [...values];
  return () => queue.shift() ?? "exhausted";
}

const pay = { amount: 1250, currency: "USD", paymentMethod: "pm_card_visa" };

describe("idempotent attempts", () => {
  it("sends a double click, or a resend of the same form, under one key", () => {
    const next = keys("k1", "k2");
    const first = attemptFor(null, fingerprintOf(pay), next);
    const second = attemptFor(
      first,
      fingerprintOf({ paymentMethod: "pm_card_visa", currency: "USD", amount: 1250 }),
      next,
    );
    expect(first.key).toBe("k1");
    expect(second.key).toBe("k1");
  });

  it("uses a new key when the parameters change, which the server would refuse under the old one", () => {
    const next = keys("k1", "k2");
    const first = attemptFor(null, fingerprintOf(pay), next);
    expect(attemptFor(first, fingerprintOf({ ...pay, amount: 1300 }), next).key).toBe("k2");
  });

  it("tells an absent field from an empty one only as the server would (both are no value)", () => {
    expect(fingerprintOf({ ...pay, description: undefined })).toBe(fingerprintOf({ ...pay, description: null }));
    expect(fingerprintOf({ ...pay, description: "x" })).not.toBe(fingerprintOf(pay));
  });

  it("keeps the key after a network error or 5xx, so the retry cannot charge twice", () => {
    const open: Attempt = { key: "k1", fingerprint: fingerprintOf(pay) };
    expect(attemptAfter(open, "k1", { error: offline })).toBe(open);
    expect(attemptAfter(open, "k1", { error: unavailable })).toBe(open);
    const retried = attemptFor(attemptAfter(open, "k1", { error: offline }), fingerprintOf(pay), keys("k2"));
    expect(retried.key).toBe("k1");
  });

  it("starts afresh after a success (paying the same again is a new payment) or a clear refusal", () => {
    const open: Attempt = { key: "k1", fingerprint: fingerprintOf(pay) };
    expect(attemptAfter(open, "k1", "succeeded")).toBeNull();
    expect(attemptAfter(open, "k1", { error: refused })).toBeNull();
    expect(attemptFor(attemptAfter(open, "k1", "succeeded"), fingerprintOf(pay), keys("k2")).key).toBe("k2");
  });

  it("ignores a late answer for an attempt that is no longer open", () => {
    const open: Attempt = { key: "k2", fingerprint: fingerprintOf(pay) };
    expect(attemptAfter(open, "k1", "succeeded")).toBe(open);
    expect(attemptAfter(null, "k1", { error: offline })).toBeNull();
  });
});

describe("newIdempotencyKey", () => {
  const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it("uses crypto.randomUUID where the browser offers it", () => {
    expect(newIdempotencyKey({ randomUUID: () => "0-0-0-0-0", getRandomValues: (array) => array })).toBe("0-0-0-0-0");
  });

  it("builds a version 4 UUID from random bytes outside secure contexts (plain HTTP)", () => {
    const getRandomValues = <T extends ArrayBufferView | null>(array: T): T => {
      if (array instanceof Uint8Array) array.fill(0xff);
      return array;
    };
    expect(newIdempotencyKey({ getRandomValues })).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    const a = newIdempotencyKey({ getRandomValues: (array) => crypto.getRandomValues(array) });
    const b = newIdempotencyKey({ getRandomValues: (array) => crypto.getRandomValues(array) });
    expect(a).toMatch(uuidV4);
    expect(a).not.toBe(b);
  });
});
