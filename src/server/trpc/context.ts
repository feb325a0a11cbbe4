import type { Logger } from "../core/logger.js";
import type { ApiDeps } from "../deps.js";
import type { SessionCaller } from "../services/auth/sessions.js";
import type { DomainError } from "../services/errors.js";

/** Lets auth procedures hand the browser its httpOnly session cookie. */
export interface SessionCookie {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

/** The device cookie (see `device-cookies.ts`): what the browser sent, and a way to replace it. */
export interface DeviceCookie {
  value: string | undefined;
  set(value: string): void;
}

/** What we know about the request, independent of Fastify, HTTP or WebSocket. */
export interface RequestInfo {
  requestId: string;
  ip: string;
  userAgent?: string | undefined;
  /** WebSocket contexts live as long as the connection, so sessions are re-checked per call. */
  transport: "http" | "ws" | "internal";
  /** The access token the request carries (bearer header, cookie or WS connection params). */
  token?: string | null | undefined;
  sessionCookie?: SessionCookie | undefined;
  deviceCookie?: DeviceCookie | undefined;
}

export interface Context {
  deps: ApiDeps;
  requestId: string;
  ip: string;
  userAgent: string | undefined;
  transport: RequestInfo["transport"];
  token: string | null;
  sessionCookie: SessionCookie | undefined;
  deviceCookie: DeviceCookie | undefined;
  log: Logger;
  /** Who is calling (src/shared/ownership.ts), filled in by the session middleware on every call. */
  user: SessionCaller | null;
  /** Why a token the caller sent was refused, to explain an UNAUTHORIZED. */
  authProblem: DomainError | undefined;
}

/**
 * Built apart from the transport so tests can call procedures with `createCaller`
 * against real adapters, with no HTTP server involved.
 */
export function createContext(deps: ApiDeps, request: RequestInfo): Context {
  return {
    deps,
    requestId: request.requestId,
    ip: request.ip,
    userAgent: request.userAgent,
    transport: request.transport,
    token: request.token ?? null,
    sessionCookie: request.sessionCookie,
    deviceCookie: request.deviceCookie,
    log: deps.logger.child({ requestId: request.requestId }),
    user: null,
    authProblem: undefined,
  };
}
