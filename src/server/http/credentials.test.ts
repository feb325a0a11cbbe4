import cookie from "@fastify/cookie";
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import {
  CLIENT_HEADER,
  DEVICE_COOKIE_MAX_AGE_SECONDS,
  deviceCookieFor,
  deviceCookieName,
  sessionCookieFor,
  sessionCookieName,
  tokenFrom,
} from "./credentials.js";

/**
 * The browser's session cookie: flags a browser enforces, and the CSRF rule that a cookie
 * alone never authenticates an HTTP call (the Gantry client adds a header a form cannot).
 */

const PASSWORD = "a perfectly fine passphrase";

/** The Set-Cookie line for one cookie: the session cookie unless told (sign-in also sets the device cookie). */
function setCookieOf(response: LightMyRequestResponse, cookie = "gantry_session"): string {
  const header = response.headers["set-cookie"];
  const lines = Array.isArray(header) ? header : header ? [header] : [];
  const line = lines.find((l) => l.replace(/^__Host-/, "").startsWith(`${cookie}=`));
  if (!line) throw new Error(`no set-cookie for ${cookie} on ${response.statusCode} ${response.body}`);
  return line;
}

/** Attributes of one Set-Cookie line, lower-cased names; flags map to "". */
function attributesOf(line: string): { name: string; value: string; attributes: Map<string, string> } {
  const [pair = "", ...rest] = line.split(";").map((part) => part.trim());
  const eq = pair.indexOf("=");
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const at = part.indexOf("=");
    if (at === -1) attributes.set(part.toLowerCase(), "");
    else attributes.set(part.slice(0, at).toLowerCase(), part.slice(at + 1));
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

describe("session cookie over HTTP", () => {
  let app: TestApp;
  let http: FastifyInstance;

  const post = (path: string, input: unknown, headers: Record<string, string> = {}) =>
    http.inject({
      method: "POST",
      url: `/trpc/${path}`,
      headers: { "content-type": "application/json", ...headers },
      payload: JSON.stringify({ json: input }),
    });

  async function signInWithCookie(): Promise<{ token: string; email: string; response: LightMyRequestResponse }> {
    const { email } = await app.signup();
    const response = await post("auth.login", { email, password: PASSWORD });
    expect(response.statusCode).toBe(200);
    const { name, value } = attributesOf(setCookieOf(response));
    expect(name).toBe("gantry_session");
    return { token: value, email, response };
  }

  /** A no-input mutation as the tRPC client posts it (superjson of undefined). */
  const logoutRequest = {
    method: "POST" as const,
    url: "/trpc/auth.logout",
    headers: { "content-type": "application/json" },
    payload: "{}",
  };

  const bearerSessions = (token: string) => app.caller({ token }).auth.sessions();

  beforeAll(async () => {
    app = await createTestApp("embedded");
    if (!app.gantry.http) throw new Error("no http server");
    http = app.gantry.http;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("sets gantry_session as HttpOnly, SameSite=Lax, Path=/ and (over plain HTTP) not Secure", async () => {
    const { token, response } = await signInWithCookie();
    const { attributes } = attributesOf(setCookieOf(response));
    expect(attributes.has("httponly")).toBe(true);
    expect(attributes.get("samesite")).toBe("Lax");
    expect(attributes.get("path")).toBe("/");
    expect(attributes.has("secure")).toBe(false);
    expect(attributes.has("domain")).toBe(false);
    // It expires with the session, and it is the access token the body returns.
    const expires = new Date(attributes.get("expires") ?? "");
    expect(expires.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const body = response.json<{ result: { data: { json: { accessToken: string } } } }>();
    expect(body.result.data.json.accessToken).toBe(token);
  });

  it("sets the cookie on sign-up too", async () => {
    const response = await post("auth.signup", { email: "cookie-signup@gantry.test", password: PASSWORD, name: "C" });
    expect(response.statusCode).toBe(200);
    expect(attributesOf(setCookieOf(response)).name).toBe("gantry_session");
  });

  it("ignores the cookie on a POST without the client header (CSRF): logout is refused; safe reads take it", async () => {
    const { token, email } = await signInWithCookie();
    const cookies = { gantry_session: token };

    // A GET only reads, and another site cannot read the answer: the cookie alone counts
    // (this is what lets a plain link download an export).
    const me = await http.inject({ method: "GET", url: "/trpc/auth.me", cookies });
    expect(me.statusCode).toBe(200);
    expect(me.json().result.data.json).toMatchObject({ email });

    // What a cross-site form or fetch without custom headers can send.
    const forged = await http.inject({ ...logoutRequest, cookies });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.json.data.code).toBe("UNAUTHORIZED");
    expect(forged.headers["set-cookie"]).toBeUndefined();
    // The session is still alive.
    expect((await bearerSessions(token)).some((session) => session.current)).toBe(true);
  });

  it("accepts the cookie with the client header; logout ends the session and clears the cookie", async () => {
    const { token, email } = await signInWithCookie();
    const cookies = { gantry_session: token };
    const headers = { [CLIENT_HEADER]: "1" };

    const me = await http.inject({ method: "GET", url: "/trpc/auth.me", cookies, headers });
    expect(me.json().result.data.json).toMatchObject({ email });

    const logout = await http.inject({
      ...logoutRequest,
      cookies,
      headers: { ...logoutRequest.headers, ...headers },
    });
    expect(logout.statusCode).toBe(200);
    const cleared = attributesOf(setCookieOf(logout));
    expect(cleared.name).toBe("gantry_session");
    expect(cleared.value).toBe("");
    expect(new Date(cleared.attributes.get("expires") ?? "").getTime()).toBeLessThan(Date.now());
    expect(cleared.attributes.get("path")).toBe("/");
    await expect(bearerSessions(token)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("accepts a bearer token without the client header (not sent automatically by browsers)", async () => {
    const { token } = await signInWithCookie();
    const response = await http.inject({
      method: "GET",
      url: "/trpc/auth.sessions",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe("session cookie when served over HTTPS", () => {
  const https = loadConfig({ NODE_ENV: "test", PUBLIC_URL: "https://gantry.example" });
  const plain = loadConfig({ NODE_ENV: "test" });
  const production = loadConfig({
    NODE_ENV: "production",
    DATABASE_URL: "postgres://db/gantry",
    REDIS_URL: "redis://cache:6379",
    AMQP_URL: "amqp://broker",
    JWT_SECRET: "x".repeat(40),
    SMTP_URL: "smtp://mail:25",
  });
  let server: FastifyInstance;

  beforeAll(async () => {
    // A bare Fastify with the same cookie plugin: the real helpers, without a whole app.
    server = Fastify();
    await server.register(cookie);
    server.post("/login", async (_request, reply) => {
      sessionCookieFor(https, reply).set("the-token", new Date(Date.now() + 3600_000));
      return { ok: true };
    });
    server.post("/logout", async (_request, reply) => {
      sessionCookieFor(https, reply).clear();
      return { ok: true };
    });
    server.post("/device", async (request, reply) => {
      const device = deviceCookieFor(https, request.cookies, reply);
      device.set("account.nonce.mac");
      return { presented: device.value ?? null };
    });
    server.route({
      method: ["GET", "POST"],
      url: "/token",
      handler: async (request) => ({ token: tokenFrom(https, request, null, "http") }),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("names the cookie __Host-gantry_session in production or behind an https PUBLIC_URL", () => {
    expect(sessionCookieName(https)).toBe("__Host-gantry_session");
    expect(sessionCookieName(production)).toBe("__Host-gantry_session");
    expect(sessionCookieName(plain)).toBe("gantry_session");
  });

  it("sets it Secure, HttpOnly, SameSite=Lax, Path=/ and without Domain (what __Host- requires)", async () => {
    const response = await server.inject({ method: "POST", url: "/login" });
    const { name, value, attributes } = attributesOf(setCookieOf(response));
    expect(name).toBe("__Host-gantry_session");
    expect(value).toBe("the-token");
    expect(attributes.has("secure")).toBe(true);
    expect(attributes.has("httponly")).toBe(true);
    expect(attributes.get("samesite")).toBe("Lax");
    expect(attributes.get("path")).toBe("/");
    expect(attributes.has("domain")).toBe(false);

    const cleared = attributesOf(setCookieOf(await server.inject({ method: "POST", url: "/logout" })));
    expect(cleared.name).toBe("__Host-gantry_session");
    expect(cleared.attributes.has("secure")).toBe(true);
  });

  it("sets the device cookie like the session cookie (__Host-, Secure, HttpOnly, Lax) but long-lived", async () => {
    expect(deviceCookieName(https)).toBe("__Host-gantry_device");
    expect(deviceCookieName(plain)).toBe("gantry_device");
    const response = await server.inject({
      method: "POST",
      url: "/device",
      cookies: { "__Host-gantry_device": "earlier", gantry_device: "plain" },
    });
    expect(response.json().presented).toBe("earlier");
    const { name, value, attributes } = attributesOf(setCookieOf(response, "gantry_device"));
    expect(name).toBe("__Host-gantry_device");
    expect(value).toBe("account.nonce.mac");
    expect(attributes.has("secure")).toBe(true);
    expect(attributes.has("httponly")).toBe(true);
    expect(attributes.get("samesite")).toBe("Lax");
    expect(attributes.get("path")).toBe("/");
    expect(attributes.has("domain")).toBe(false);
    expect(attributes.get("max-age")).toBe(String(DEVICE_COOKIE_MAX_AGE_SECONDS));
  });

  it("reads the __Host- cookie and not the plain one; a POST needs the client header", async () => {
    const read = (
      cookies: Record<string, string>,
      headers: Record<string, string> = { [CLIENT_HEADER]: "1" },
      method: "GET" | "POST" = "GET",
    ) => server.inject({ method, url: "/token", cookies, headers }).then((r) => r.json().token);
    expect(await read({ "__Host-gantry_session": "secure-one" })).toBe("secure-one");
    expect(await read({ gantry_session: "plain-one" })).toBeNull();
    expect(await read({ "__Host-gantry_session": "secure-one" }, {}, "POST")).toBeNull();
    expect(await read({ "__Host-gantry_session": "secure-one" }, { [CLIENT_HEADER]: "1" }, "POST")).toBe("secure-one");
  });
});
