import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainError } from "../services/errors.js";
import { createTestApp, type TestApp } from "../testing/app.js";

/** The general API budget (RATE_LIMIT_PER_MINUTE), per address when anonymous, per user when signed in. */
describe("API rate limit", () => {
  let app: TestApp;

  async function codeOf(call: Promise<unknown>): Promise<string> {
    try {
      await call;
      return "OK";
    } catch (error) {
      if (error instanceof TRPCError) return error.code;
      throw error;
    }
  }

  beforeAll(async () => {
    app = await createTestApp("embedded", {
      RATE_LIMIT_PER_MINUTE: "5",
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("refuses the 6th call in a minute from one address, and says how long to wait", async () => {
    const caller = app.caller({ ip: "198.51.100.1" });
    for (let i = 0; i < 5; i += 1) expect(await codeOf(caller.system.health())).toBe("OK");
    const refused = await caller.system.health().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("TOO_MANY_REQUESTS");
    const retryAfterMs = ((refused as TRPCError).cause as DomainError).details.retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    // Every procedure shares the budget.
    expect(await codeOf(caller.auth.me())).toBe("TOO_MANY_REQUESTS");
    // Another address has its own.
    expect(await codeOf(app.caller({ ip: "198.51.100.2" }).system.health())).toBe("OK");
  });

  it("answers 429 over HTTP with retryAfterMs in the error data and a Retry-After header", async () => {
    const http = app.gantry.http;
    if (!http) throw new Error("no http server");
    const call = () => http.inject({ method: "GET", url: "/trpc/system.health", remoteAddress: "198.51.100.3" });
    for (let i = 0; i < 5; i += 1) expect((await call()).statusCode).toBe(200);
    const refused = await call();
    expect(refused.statusCode).toBe(429);
    const data = refused.json<{ error: { json: { data: { code: string; retryAfterMs: number } } } }>().error.json.data;
    expect(data.code).toBe("TOO_MANY_REQUESTS");
    expect(data.retryAfterMs).toBeGreaterThan(0);
    expect(Number(refused.headers["retry-after"])).toBe(Math.ceil(data.retryAfterMs / 1000));
  });

  it("counts a signed-in caller by account, not by address", async () => {
    // Sign-up spends one call of the address's budget.
    const { token } = await app.signup();
    const signedIn = (ip: string) => app.caller({ token, ip });
    const codes: string[] = [];
    for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5", "203.0.113.6"]) {
      codes.push(await codeOf(signedIn(ip).auth.sessions()));
    }
    expect(codes).toEqual(["OK", "OK", "OK", "OK", "OK", "TOO_MANY_REQUESTS"]);
    // Anonymous calls from those addresses are not charged for the account's calls.
    expect(await codeOf(app.caller({ ip: "203.0.113.6" }).system.health())).toBe("OK");
  });

  it("spends the same budget on the plain HTTP webhook route, per address", async () => {
    const http = app.gantry.http;
    if (!http) throw new Error("no http server");
    const post = () =>
      http.inject({
        method: "POST",
        url: "/webhooks/payments/sandbox",
        remoteAddress: "198.51.100.77",
        headers: { "content-type": "application/json" },
        payload: "{}",
      });
    // Unsigned, so refused on its merits, but each one still spends budget.
    for (let i = 0; i < 5; i += 1) expect((await post()).statusCode).toBe(400);
    const refused = await post();
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
  });
});
