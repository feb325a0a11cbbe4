import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "../../../server/trpc/router.js";
import { retryDelayMs, shouldRetryIdempotentMutation, shouldRetryQuery, UNAVAILABLE_RETRIES } from "./retry";

type ErrorData = NonNullable<TRPCClientError<AppRouter>["data"]>;
const answered = (data: ErrorData) =>
  new TRPCClientError<AppRouter>("x", { result: { error: { code: -32603, message: "x", data } } });

const unavailable = answered({ code: "SERVICE_UNAVAILABLE", httpStatus: 503, retryAfterMs: 1000 });
const internal = answered({ code: "INTERNAL_SERVER_ERROR", httpStatus: 500 });
const badInput = answered({ code: "BAD_REQUEST", httpStatus: 400 });

describe("client retries", () => {
  it("retries a query through a database outage, more patiently than other server errors", () => {
    expect(shouldRetryQuery(UNAVAILABLE_RETRIES - 1, unavailable)).toBe(true);
    expect(shouldRetryQuery(UNAVAILABLE_RETRIES, unavailable)).toBe(false);
    expect(shouldRetryQuery(1, internal)).toBe(true);
    expect(shouldRetryQuery(2, internal)).toBe(false);
    expect(shouldRetryQuery(0, badInput)).toBe(false);
  });

  it("retries an idempotent mutation only on SERVICE_UNAVAILABLE", () => {
    expect(shouldRetryIdempotentMutation(0, unavailable)).toBe(true);
    expect(shouldRetryIdempotentMutation(0, internal)).toBe(false);
    expect(shouldRetryIdempotentMutation(0, badInput)).toBe(false);
  });

  it("backs off exponentially, never sooner than the server's retryAfterMs", () => {
    expect([1, 2, 3, 4, 10].map((n) => retryDelayMs(n, internal))).toEqual([500, 1000, 2000, 4000, 10_000]);
    expect(retryDelayMs(1, unavailable)).toBe(1000);
    expect(retryDelayMs(4, unavailable)).toBe(4000);
  });
});
