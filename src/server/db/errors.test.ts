import { describe, expect, it } from "vitest";
import { expectedFailureOf, isDatabaseUnavailable } from "./errors.js";

const withCode = (code: string, message = "boom") => Object.assign(new Error(message), { code });
/** As Drizzle wraps driver errors: the statement in the message, the driver's error as cause. */
const wrapped = (cause: unknown) => Object.assign(new Error("Failed query: select 1"), { cause });

describe("database failures that are not bugs", () => {
  it.each([
    ["a refused connection", withCode("ECONNREFUSED")],
    ["a refused connection to every address", new AggregateError([withCode("ECONNREFUSED")])],
    ["postgres.js losing a connection", wrapped(withCode("CONNECTION_CLOSED"))],
    ["postgres.js failing to connect in time", withCode("CONNECT_TIMEOUT")],
    ["too many clients", wrapped(withCode("53300"))],
    ["an administrator's shutdown", withCode("57P01")],
    ["a connection failure SQLSTATE", withCode("08006")],
    // What PGlite throws once closed (checked by hand: starting one here takes seconds).
    ["a closed PGlite", wrapped(new Error("PGlite is closed"))],
  ])("treats %s as SERVICE_UNAVAILABLE with a retry delay", (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    const domain = expectedFailureOf(error);
    expect(domain?.code).toBe("SERVICE_UNAVAILABLE");
    expect(domain?.details.retryAfterMs).toBeGreaterThan(0);
  });

  it("treats text the database cannot store as the caller's mistake", () => {
    expect(expectedFailureOf(wrapped(withCode("22021")))?.code).toBe("BAD_REQUEST");
    expect(expectedFailureOf(wrapped(withCode("22P05")))?.code).toBe("BAD_REQUEST");
  });

  it("leaves bugs alone", () => {
    expect(expectedFailureOf(wrapped(withCode("42P01")))).toBeUndefined();
    expect(expectedFailureOf(new TypeError("x is undefined"))).toBeUndefined();
  });
});
