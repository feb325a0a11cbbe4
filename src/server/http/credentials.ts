import type { IncomingHttpHeaders } from "node:http";
import type { FastifyReply } from "fastify";
import type { Config } from "../config.js";
import type { DeviceCookie, SessionCookie } from "../trpc/context.js";

/** Header the Gantry client sends on every HTTP call; a cross-site form cannot set it. */
export const CLIENT_HEADER = "x-gantry-client";

export function sessionCookieName(config: Config): string {
  return secureCookies(config) ? "__Host-gantry_session" : "gantry_session";
}

/** Cookies get `__Host-` and Secure when the app is served over HTTPS (or in production). */
export function secureCookies(config: Config): boolean {
  return config.env === "production" || config.publicUrl.startsWith("https:");
}

/** httpOnly, SameSite=Lax, Path=/; `__Host-` prefixed and Secure when served over HTTPS. */
export function sessionCookieFor(config: Config, reply: FastifyReply): SessionCookie {
  const name = sessionCookieName(config);
  const options = { path: "/", httpOnly: true, sameSite: "lax" as const, secure: secureCookies(config) };
  return {
    set: (token, expiresAt) => reply.setCookie(name, token, { ...options, expires: expiresAt }),
    clear: () => reply.clearCookie(name, options),
  };
}

export function deviceCookieName(config: Config): string {
  return secureCookies(config) ? "__Host-gantry_device" : "gantry_device";
}

/** How long a browser stays a known device without signing in again. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/**
 * The device cookie (see `services/auth/device-cookies.ts`), set like the session cookie but
 * long-lived and kept on sign-out: it says the browser once knew the password, nothing more.
 */
export function deviceCookieFor(
  config: Config,
  cookies: Record<string, string | undefined> | undefined,
  reply: FastifyReply,
): DeviceCookie {
  const name = deviceCookieName(config);
  const options = { path: "/", httpOnly: true, sameSite: "lax" as const, secure: secureCookies(config) };
  return {
    value: cookies?.[name],
    set: (value) => reply.setCookie(name, value, { ...options, maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS }),
  };
}

/** A Fastify request, or the raw upgrade request of a WebSocket with its cookies parsed. */
export interface CredentialSource {
  headers: IncomingHttpHeaders;
  method?: string | undefined;
  cookies?: Record<string, string | undefined> | undefined;
}

function isSafeMethod(method: string | undefined): boolean {
  return method === "GET" || method === "HEAD";
}

function allowedOrigin(config: Config, headers: IncomingHttpHeaders, origin: string): boolean {
  if (config.corsOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}

/**
 * The access token a request carries, in order: `Authorization: Bearer`, the WebSocket
 * connection params, then the session cookie. The cookie only counts when the request cannot
 * be a cross-site forgery: calls that can change something (POST) must carry the client
 * header (which forces a CORS preflight), and WebSocket upgrades must come from an allowed
 * Origin. Safe reads (GET, HEAD: tRPC queries, the CSV export link) take the cookie alone;
 * SameSite=Lax keeps it off cross-site subresource requests, and another site cannot read
 * the answer anyway.
 */
export function tokenFrom(
  config: Config,
  request: CredentialSource,
  connectionParams: Record<string, string | undefined> | null | undefined,
  transport: "http" | "ws",
): string | null {
  const { headers, cookies } = request;
  const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return bearer;
  const fromParams = connectionParams?.token;
  if (fromParams) return fromParams;
  const cookie = cookies?.[sessionCookieName(config)];
  if (!cookie) return null;
  if (transport === "http") return headers[CLIENT_HEADER] || isSafeMethod(request.method) ? cookie : null;
  const origin = headers.origin;
  return origin && allowedOrigin(config, headers, origin) ? cookie : null;
}
