import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { can } from "../../shared/permissions.js";
import { SSO_ERROR_PARAM, SSO_LINKED_PARAM, type SsoFailureReason, ssoFailureMessage } from "../../shared/sso.js";
import type { Config } from "../config.js";
import type { ApiDeps } from "../deps.js";
import type { SessionCaller } from "../services/auth/sessions.js";
import { SsoFailure } from "../services/auth/sso-failure.js";
import { SSO_FLOW_TTL_MS } from "../services/auth/sso-flow.js";
import { DomainError } from "../services/errors.js";
import { secureCookies, sessionCookieFor, tokenFrom } from "./credentials.js";
import { errorBody, httpStatusOf } from "./domain-status.js";

/**
 * Single sign-on over plain HTTP, because it is browser navigation, not procedure calls:
 *
 * - `GET /auth/sso/start?next=/path` sets the flow cookie and redirects to the provider;
 * - `POST /auth/sso/link` (signed in, with the client header like every cookie-authenticated
 *   POST, so another site cannot start it) sets the flow cookie and answers `{ url }`, where
 *   the profile page then sends the browser;
 * - `GET /auth/sso/callback` completes either: a session cookie and a redirect into the app,
 *   or the identity linked and a redirect to the profile.
 *
 * Every failure lands on the sign-in page (or the profile, for someone signed in) with
 * `?sso_error=<reason>`, which the page turns into a sentence: never a 500 or a stack trace.
 */
export function ssoRoutes(deps: ApiDeps) {
  return async (server: FastifyInstance): Promise<void> => {
    server.get<{ Querystring: { next?: unknown } }>("/auth/sso/start", async (request, reply) => {
      if (await overRate(deps, request)) return land(reply, "/login", "rate_limited");
      try {
        const next = typeof request.query.next === "string" ? request.query.next : undefined;
        const { url, flowCookie } = await deps.sso.begin({ intent: "login", next });
        flowCookieFor(deps.config, reply).set(flowCookie);
        return reply.redirect(url, 302);
      } catch (error) {
        return land(reply, "/login", reasonOf(deps, request, error));
      }
    });

    server.post("/auth/sso/link", async (request, reply) => {
      if (await overRate(deps, request)) {
        return reply.status(429).send(errorBody(new DomainError("TOO_MANY_REQUESTS", message(deps, "rate_limited"))));
      }
      const caller = await callerOf(deps, request);
      if (!caller) return reply.status(401).send(errorBody(new DomainError("UNAUTHORIZED", "Please sign in.")));
      if (!can(caller.role, "profile:update")) {
        return reply
          .status(403)
          .send(errorBody(new DomainError("FORBIDDEN", "Your role cannot change how you sign in.")));
      }
      try {
        const { url, flowCookie } = await deps.sso.begin({ intent: "link", caller });
        flowCookieFor(deps.config, reply).set(flowCookie);
        return reply.status(200).send({ url });
      } catch (error) {
        const reason = reasonOf(deps, request, error);
        const code =
          reason === "provider_unavailable"
            ? "SERVICE_UNAVAILABLE"
            : reason === "not_configured"
              ? "NOT_FOUND"
              : "BAD_REQUEST";
        return reply.status(httpStatusOf(code)).send(errorBody(new DomainError(code, message(deps, reason))));
      }
    });

    server.get("/auth/sso/callback", async (request, reply) => {
      const flowCookie = flowCookieFor(deps.config, reply);
      const sealed = request.cookies[flowCookie.name];
      // One use only: whatever happens next, this browser's flow is over.
      flowCookie.clear();
      const caller = await callerOf(deps, request);
      const failurePage = caller ? "/profile" : "/login";
      if (await overRate(deps, request)) return land(reply, failurePage, "rate_limited");
      try {
        const outcome = await deps.sso.complete({
          callbackUrl: new URL(request.url, `${deps.config.publicUrl}/`),
          flowCookie: sealed,
          caller,
          meta: { ip: request.ip, userAgent: request.headers["user-agent"] },
        });
        if (outcome.intent === "link") return reply.redirect(`${outcome.next}?${SSO_LINKED_PARAM}=1`, 302);
        sessionCookieFor(deps.config, reply).set(outcome.result.accessToken, outcome.result.expiresAt);
        return reply.redirect(outcome.next, 302);
      } catch (error) {
        return land(reply, failurePage, reasonOf(deps, request, error));
      }
    });
  };
}

/** The flow cookie: httpOnly, SameSite=Lax (the provider's redirect back is a top-level GET), ten minutes. */
function flowCookieFor(config: Config, reply: FastifyReply) {
  const secure = secureCookies(config);
  const name = secure ? "__Host-gantry_sso" : "gantry_sso";
  const options = { path: "/", httpOnly: true, sameSite: "lax" as const, secure };
  return {
    name,
    set: (value: string) => reply.setCookie(name, value, { ...options, maxAge: SSO_FLOW_TTL_MS / 1000 }),
    clear: () => reply.clearCookie(name, options),
  };
}

/**
 * The signed-in caller, if any. A POST only counts the session cookie with the client header
 * (see `tokenFrom`); the callback is a GET navigation, where the cookie alone is the session.
 */
async function callerOf(deps: ApiDeps, request: FastifyRequest): Promise<SessionCaller | undefined> {
  const token = tokenFrom(deps.config, request, null, "http");
  if (!token) return undefined;
  try {
    return await deps.auth.authenticate(token);
  } catch (error) {
    if (error instanceof DomainError) return undefined;
    throw error;
  }
}

/** Each start and callback spends a point of the caller's address's API budget. */
async function overRate(deps: ApiDeps, request: FastifyRequest): Promise<boolean> {
  const decision = await deps.apiRateLimiter.consume(`ip:${request.ip}`);
  return !decision.allowed;
}

function reasonOf(deps: ApiDeps, request: FastifyRequest, error: unknown): SsoFailureReason {
  if (error instanceof SsoFailure) return error.reason;
  if (error instanceof DomainError && error.code === "TOO_MANY_REQUESTS") return "rate_limited";
  // A database outage (DomainError) or a bug: logged with the request id, shown as our fault.
  if (!(error instanceof DomainError))
    deps.reportError(`http:${request.method} ${request.url.split("?")[0]}`, error, request.id);
  return "server_error";
}

function message(deps: ApiDeps, reason: SsoFailureReason): string {
  return ssoFailureMessage(reason, deps.sso.providerName ?? "Single sign-on");
}

/** Back into the app with the reason in the URL; the page shows the sentence for it. */
function land(reply: FastifyReply, page: "/login" | "/profile", reason: SsoFailureReason): FastifyReply {
  return reply.redirect(`${page}?${SSO_ERROR_PARAM}=${reason}`, 302);
}
