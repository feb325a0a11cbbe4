import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/app.js";
import { DomainError } from "../errors.js";

/**
 * Failed sign-ins are limited per account (5 per 15 minutes) and per address (50 per 15
 * minutes, across accounts). Once limited, even the right password is refused until the
 * window passes, and the caller is told how long to wait.
 */

const PASSWORD = "a perfectly fine passphrase";
const WINDOW_MS = 15 * 60 * 1000;

let lastOctet = 0;
/** A fresh client address per call, so only the limit under test can apply. */
const freshIp = () => `10.0.${Math.floor(++lastOctet / 250)}.${lastOctet % 250}`;

interface TrpcHttpError {
  error: { json: { message: string; data: { code: string; httpStatus: number; retryAfterMs?: number } } };
}

describe("sign-in limits", () => {
  let app: TestApp;

  const login = (email: string, password: string, ip = freshIp()) => app.caller({ ip }).auth.login({ email, password });

  async function codeOf(call: Promise<unknown>): Promise<string> {
    try {
      await call;
      return "OK";
    } catch (error) {
      return (error as { code?: string }).code ?? "no code";
    }
  }

  async function failTimes(times: number, email: string, ip?: () => string): Promise<string[]> {
    const codes: string[] = [];
    for (let i = 0; i < times; i += 1) codes.push(await codeOf(login(email, "not the password", ip?.())));
    return codes;
  }

  const httpLogin = (email: string, password: string, remoteAddress: string) => {
    const http = app.gantry.http;
    if (!http) throw new Error("no http server");
    return http.inject({
      method: "POST",
      url: "/trpc/auth.login",
      remoteAddress,
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ json: { email, password } }),
    });
  };

  beforeAll(async () => {
    app = await createTestApp("embedded");
  });
  afterAll(async () => {
    await app?.close();
  });

  it("refuses the 6th attempt on one account after 5 failures, even with the right password", async () => {
    const { email } = await app.signup();
    expect(await failTimes(5, email)).toEqual(Array(5).fill("UNAUTHORIZED"));

    const refused = await login(email, PASSWORD).catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: "TRPCError", code: "TOO_MANY_REQUESTS" });
    const cause = (refused as { cause?: unknown }).cause;
    expect(cause).toBeInstanceOf(DomainError);
    const retryAfterMs = (cause as DomainError).details.retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(WINDOW_MS - 60_000);
    expect(retryAfterMs).toBeLessThanOrEqual(WINDOW_MS);
  });

  it("tells an HTTP client TOO_MANY_REQUESTS (429) with retryAfterMs, the same for right and wrong passwords", async () => {
    const { email } = await app.signup();
    await failTimes(5, email);
    const right = await httpLogin(email, PASSWORD, freshIp());
    const wrong = await httpLogin(email, "not the password", freshIp());
    expect(right.statusCode).toBe(429);
    expect(right.headers["set-cookie"]).toBeUndefined();
    const body = right.json<TrpcHttpError>().error.json;
    expect(body.data.code).toBe("TOO_MANY_REQUESTS");
    expect(body.data.retryAfterMs).toBeGreaterThan(0);
    expect(body.message).toMatch(/Try again in \d+ seconds/);
    expect(wrong.statusCode).toBe(429);
    expect(wrong.json<TrpcHttpError>().error.json.message).toBe(body.message);
  });

  it("limits one account only: others still sign in", async () => {
    const locked = await app.signup();
    const other = await app.signup();
    await failTimes(5, locked.email);
    expect(await codeOf(login(locked.email, PASSWORD))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(login(other.email, PASSWORD))).toBe("OK");
  });

  it("forgets an account's failures after a successful sign-in", async () => {
    const { email } = await app.signup();
    expect(await failTimes(4, email)).toEqual(Array(4).fill("UNAUTHORIZED"));
    expect(await codeOf(login(email, PASSWORD))).toBe("OK");
    // Without the reset these would be failures 5 to 8, and the sign-in after them refused.
    expect(await failTimes(4, email)).toEqual(Array(4).fill("UNAUTHORIZED"));
    expect(await codeOf(login(email, PASSWORD))).toBe("OK");
  });

  it("refuses an address after 50 failures across accounts, but not other addresses", async () => {
    const attacker = "192.0.2.66";
    const { email } = await app.signup();
    const codes: string[] = [];
    // 50 different unknown accounts: no single account reaches its own limit.
    for (let i = 0; i < 50; i += 1) {
      codes.push(await codeOf(login(`nobody${i}@spray.test`, "guess", attacker)));
    }
    expect(codes).toEqual(Array(50).fill("UNAUTHORIZED"));
    expect(await codeOf(login(email, PASSWORD, attacker))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(login("nobody-new@spray.test", "guess", attacker))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(login(email, PASSWORD, "192.0.2.67"))).toBe("OK");
  });

  it("holds under concurrent guesses: 30 at once get at most 5 password checks", async () => {
    const { email } = await app.signup();
    const codes = await Promise.all(Array.from({ length: 30 }, () => codeOf(login(email, "not the password"))));
    expect(codes.filter((code) => code === "UNAUTHORIZED").length).toBeLessThanOrEqual(5);
    expect(codes.filter((code) => code === "TOO_MANY_REQUESTS").length).toBeGreaterThanOrEqual(25);
  });
});
