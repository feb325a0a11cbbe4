import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "../../../server/trpc/router.js";
import { describeApiError, isWorthRetrying } from "./apiError";

type ErrorData = NonNullable<TRPCClientError<AppRouter>["data"]>;

/** An error as the server sends it (see src/server/trpc/errors.ts). */
function answered(message: string, data: ErrorData): TRPCClientError<AppRouter> {
  return new TRPCClientError<AppRouter>(message, { result: { error: { code: -32600, message, data } } });
}

const offline = new TRPCClientError<AppRouter>("Failed to fetch", { cause: new TypeError("Failed to fetch") });

describe("describeApiError", () => {
  it("lists what is wrong with each field of bad input", () => {
    const error = answered("email: Invalid email", {
      code: "BAD_REQUEST",
      httpStatus: 400,
      fieldErrors: { email: ["Invalid email"], "profile.name": ["Too short", "Required"] },
    });
    const described = describeApiError(error);
    expect(described.message).toBe("email: Invalid email");
    expect(described.fieldErrors).toEqual({ email: ["Invalid email"], "profile.name": ["Too short", "Required"] });
    expect(described.unreachable).toBe(false);
  });

  it("says when to try again after too many requests", () => {
    const error = answered("Too many requests. Try again in 3 seconds.", {
      code: "TOO_MANY_REQUESTS",
      httpStatus: 429,
      retryAfterMs: 2500,
    });
    expect(describeApiError(error)).toMatchObject({ retryAfterMs: 2500, fieldErrors: {} });
  });

  it("tells the user the server cannot be reached rather than showing a fetch error", () => {
    const described = describeApiError(offline);
    expect(described.unreachable).toBe(true);
    expect(described.message).toMatch(/cannot reach the server/i);
  });
});

describe("isWorthRetrying", () => {
  it("retries outages and server faults but not answers about the request itself", () => {
    expect(isWorthRetrying(offline)).toBe(true);
    expect(isWorthRetrying(answered("Oops", { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 }))).toBe(true);
    expect(isWorthRetrying(answered("No", { code: "FORBIDDEN", httpStatus: 403 }))).toBe(false);
    expect(isWorthRetrying(answered("Slow down", { code: "TOO_MANY_REQUESTS", httpStatus: 429 }))).toBe(false);
  });
});
