import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/app.js";
import type { DeviceCookie } from "../../trpc/context.js";
import { DomainError } from "../errors.js";

/**
 * Failed sign-ins are limited per (account, address): 5 per 15 minutes; per address across
 * accounts: 50 per 15 minutes; and per account across every address: 10 per 6 minutes (100
 * an hour). Nobody can lock the owner out from elsewhere: a browser holding a device cookie
 * from an earlier sign-in to the account is exempt from the per-account ceiling (but limited
 * to 5 failures per 15 minutes itself), and without one the ceiling's wait is minutes.
 */

const PASSWORD = "a perfectly fine passphrase";
const WINDOW_MS = 15 * 60 * 1000;

let lastOctet = 0;
/** A fresh client address per call, so only the limit under test can apply. */
const freshIp = () => `10.0.${Math.floor(++lastOctet / 250)}.${lastOctet % 250}`;

/** A browser's device cookie: starts empty (or with `value`), keeps what sign-in sets. */
function deviceJar(value?: string): DeviceCookie & { value: string | undefined } {
  const jar = {
    value,
    set(next: string) {
      jar.value = next;
    },
  };
  return jar;
}

interface TrpcHttpError {
  error: { json: { message: string; data: { code: string; httpStatus: number; retryAfterMs?: number } } };
}

describe("sign-in limits", () => {
  let app: TestApp;

  const login = (email: string, password: string, ip = freshIp(), device?: DeviceCookie) =>
    app.caller({ ip, ...(device ? { device } : {}) }).auth.login({ email, password });

  /** The owner signs in once on their own browser, which then holds a device cookie. */
  async function ownerDevice(email: string): Promise<ReturnType<typeof deviceJar>> {
    const jar = deviceJar();
    expect(await codeOf(login(email, PASSWORD, freshIp(), jar))).toBe("OK");
    expect(jar.value).toBeTruthy();
    return jar;
  }

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

  const httpLogin = (email: string, password: string, remoteAddress: string, cookie?: string) => {
    const http = app.gantry.http;
    if (!http) throw new Error("no http server");
    return http.inject({
      method: "POST",
      url: "/trpc/auth.login",
      remoteAddress,
      headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
      payload: JSON.stringify({ json: { email, password } }),
    });
  };

  beforeAll(async () => {
    app = await createTestApp("embedded");
  });
  afterAll(async () => {
    await app?.close();
  });

  it("refuses an address's 6th attempt on one account after 5 failures, even with the right password", async () => {
    const { email } = await app.signup();
    const attacker = freshIp();
    expect(await failTimes(5, email, () => attacker)).toEqual(Array(5).fill("UNAUTHORIZED"));

    const refused = await login(email, PASSWORD, attacker).catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: "TRPCError", code: "TOO_MANY_REQUESTS" });
    const cause = (refused as { cause?: unknown }).cause;
    expect(cause).toBeInstanceOf(DomainError);
    const retryAfterMs = (cause as DomainError).details.retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(WINDOW_MS - 60_000);
    expect(retryAfterMs).toBeLessThanOrEqual(WINDOW_MS);
  });

  it("lets the owner in from another address while an attacker is throttled at theirs", async () => {
    const { email } = await app.signup();
    const attacker = freshIp();
    const codes = await failTimes(10, email, () => attacker);
    expect(codes).toEqual([...Array(5).fill("UNAUTHORIZED"), ...Array(5).fill("TOO_MANY_REQUESTS")]);
    expect(await codeOf(login(email, PASSWORD, attacker))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(login(email, PASSWORD, freshIp()))).toBe("OK");
  });

  it("caps one account at 10 failures per 6 minutes across many addresses; without a device cookie the owner waits too", async () => {
    const { email } = await app.signup();
    // 30 addresses, one guess each: no address reaches its own limit.
    const codes = await failTimes(30, email, freshIp);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill("UNAUTHORIZED"));
    expect(codes.slice(10)).toEqual(Array(20).fill("TOO_MANY_REQUESTS"));
    // The owner on a browser with no device cookie waits too, but minutes, not a quarter of an hour.
    const refused = await login(email, PASSWORD, freshIp()).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const retryAfterMs = ((refused as { cause?: DomainError }).cause?.details.retryAfterMs ?? 0) as number;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(6 * 60 * 1000);
  });

  it("lets the owner in with a device cookie from an earlier sign-in while 30 addresses hold the ceiling", async () => {
    const { email } = await app.signup();
    const device = await ownerDevice(email);
    const before = device.value;
    const codes = await failTimes(30, email, freshIp);
    expect(codes.slice(10)).toEqual(Array(20).fill("TOO_MANY_REQUESTS"));
    // Without the cookie: refused. With it, from yet another address: in, and a fresh cookie.
    expect(await codeOf(login(email, PASSWORD, freshIp()))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(login(email, PASSWORD, freshIp(), device))).toBe("OK");
    expect(device.value).not.toBe(before);
    // The old cookie is still genuine (it is signed, not stored), and the ceiling still holds for the rest.
    expect(await codeOf(login(email, PASSWORD, freshIp(), deviceJar(before)))).toBe("OK");
    expect(await codeOf(login(email, "not the password", freshIp()))).toBe("TOO_MANY_REQUESTS");
  });

  it("gives no exemption for a forged, altered or other account's device cookie", async () => {
    const victim = await app.signup();
    const attacker = await app.signup();
    const attackersOwn = await ownerDevice(attacker.email);
    const genuine = (await ownerDevice(victim.email)).value ?? "";
    await failTimes(30, victim.email, freshIp);

    const [, nonce, mac] = genuine.split(".");
    const cookies = [
      attackersOwn.value,
      `${victim.userId}.${nonce}.${"0".repeat(mac?.length ?? 64)}`,
      `${victim.userId}.${"x".repeat(nonce?.length ?? 22)}.${mac}`,
      `${attacker.userId}.${nonce}.${mac}`,
      `${victim.userId}.${nonce}`,
      "garbage",
    ];
    for (const value of cookies) {
      expect(await codeOf(login(victim.email, PASSWORD, freshIp(), deviceJar(value)))).toBe("TOO_MANY_REQUESTS");
    }
    // The attacker's own cookie still works for the attacker's own account.
    expect(await codeOf(login(attacker.email, PASSWORD, freshIp(), attackersOwn))).toBe("OK");
  });

  it("stops trusting a device cookie after 5 failures with it in 15 minutes", async () => {
    const { email } = await app.signup();
    const device = await ownerDevice(email);
    await failTimes(30, email, freshIp);
    // Someone with a copy of the cookie, from fresh addresses: 5 guesses past the ceiling, no more.
    const codes: string[] = [];
    for (let i = 0; i < 7; i += 1) codes.push(await codeOf(login(email, "not the password", freshIp(), device)));
    expect(codes).toEqual([...Array(5).fill("UNAUTHORIZED"), ...Array(2).fill("TOO_MANY_REQUESTS")]);
    // The cookie now counts as none: the ceiling applies to it like to any other attempt.
    expect(await codeOf(login(email, PASSWORD, freshIp(), device))).toBe("TOO_MANY_REQUESTS");
  });

  it("sets the device cookie over HTTP on a successful sign-in, httpOnly, SameSite=Lax and long-lived", async () => {
    const { email } = await app.signup();
    const response = await httpLogin(email, PASSWORD, freshIp());
    expect(response.statusCode).toBe(200);
    const device = response.cookies.find((cookie) => cookie.name === "gantry_device");
    expect(device).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(device?.maxAge).toBeGreaterThan(30 * 24 * 60 * 60);
    await failTimes(30, email, freshIp);
    const again = await httpLogin(email, PASSWORD, freshIp(), `gantry_device=${device?.value}`);
    expect(again.statusCode).toBe(200);
    expect((await httpLogin(email, PASSWORD, freshIp())).statusCode).toBe(429);
  });

  it("answers an unknown email exactly as a known one under the limits", async () => {
    const { email } = await app.signup();
    const attacker = freshIp();
    const known = await failTimes(7, email, () => attacker);
    const unknown = await failTimes(7, `nobody-${lastOctet}@gantry.test`, () => attacker);
    expect(unknown).toEqual(known);
  });

  it("tells an HTTP client TOO_MANY_REQUESTS (429) with retryAfterMs, the same for right and wrong passwords", async () => {
    const { email } = await app.signup();
    const attacker = freshIp();
    await failTimes(5, email, () => attacker);
    const right = await httpLogin(email, PASSWORD, attacker);
    const wrong = await httpLogin(email, "not the password", attacker);
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
    const attacker = freshIp();
    await failTimes(5, locked.email, () => attacker);
    expect(await codeOf(login(locked.email, PASSWORD, attacker))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(login(other.email, PASSWORD, attacker))).toBe("OK");
  });

  it("forgets an address's failures on an account after a successful sign-in there", async () => {
    const { email } = await app.signup();
    const owner = freshIp();
    expect(await failTimes(4, email, () => owner)).toEqual(Array(4).fill("UNAUTHORIZED"));
    expect(await codeOf(login(email, PASSWORD, owner))).toBe("OK");
    // Without the reset these would be failures 5 to 8, and the sign-in after them refused.
    expect(await failTimes(4, email, () => owner)).toEqual(Array(4).fill("UNAUTHORIZED"));
    expect(await codeOf(login(email, PASSWORD, owner))).toBe("OK");
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

  it("holds under concurrent guesses: 30 at once from one address get at most 5 password checks", async () => {
    const { email } = await app.signup();
    const attacker = freshIp();
    const codes = await Promise.all(
      Array.from({ length: 30 }, () => codeOf(login(email, "not the password", attacker))),
    );
    expect(codes.filter((code) => code === "UNAUTHORIZED").length).toBeLessThanOrEqual(5);
    expect(codes.filter((code) => code === "TOO_MANY_REQUESTS").length).toBeGreaterThanOrEqual(25);
  });

  it("holds under concurrent guesses from 30 addresses: at most 10 password checks", async () => {
    const { email } = await app.signup();
    const codes = await Promise.all(Array.from({ length: 30 }, () => codeOf(login(email, "not the password"))));
    expect(codes.filter((code) => code === "UNAUTHORIZED").length).toBeLessThanOrEqual(10);
    expect(codes.filter((code) => code === "TOO_MANY_REQUESTS").length).toBeGreaterThanOrEqual(20);
  });
});
