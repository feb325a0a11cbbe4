import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import cookie from "@fastify/cookie";
import cors from "@fastify/cors";
import websocket from "@fastify/websocket";
import { TRPCError } from "@trpc/server";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import helmet from "helmet";
import { TRPC_PATH_MAX_LENGTH } from "../../shared/batch-limits.js";
import { checkDependencies, isReady } from "../core/health.js";
import type { HttpDeps } from "../deps.js";
import { DomainError } from "../services/errors.js";
import { createContext } from "../trpc/context.js";
import { domainErrorOf } from "../trpc/errors.js";
import { appRouter } from "../trpc/router.js";
import { constantTimeEqual } from "../utils/crypto.js";
import { serveClient } from "./client-files.js";
import { deviceCookieFor, sessionCookieFor, tokenFrom } from "./credentials.js";
import { errorBody, httpStatusOf } from "./domain-status.js";
import { redactUrl } from "./log-redaction.js";
import { registerTrpc } from "./trpc-adapter.js";

export interface HttpServerOptions {
  /** Lets later features add routes that are not tRPC procedures (uploads, webhooks). */
  routes?: Array<(server: FastifyInstance) => Promise<void> | void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A hop count believes that many proxies in front of us; Fastify takes it as a function. */
function trustProxyOption(setting: boolean | number | string[]) {
  return typeof setting === "number" ? (_address: string, hop: number) => hop < setting : setting;
}

/** One log line per request, when it completes, instead of Fastify's two. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(_error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    request.log.info(
      {
        method: request.method,
        url: redactUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      "request",
    );
  }
}

/**
 * Fastify with tRPC on /trpc (HTTP and WebSocket), health and metrics endpoints and the
 * built client on /. One port serves the whole app.
 */
export async function createHttpServer(deps: HttpDeps, options: HttpServerOptions = {}): Promise<FastifyInstance> {
  const limits = deps.config.http;
  const server = Fastify({
    // pino is Fastify's own logger; the cast only widens its type to Fastify's interface.
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Honour an upstream request id only when it is well-formed, so logs cannot be forged.
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    logController: new OneLinePerRequest(),
    forceCloseConnections: "idle",
    // Requests that arrive while draining are refused below, in the shape their client reads.
    return503OnClosing: false,
    bodyLimit: 1024 * 1024,
    // A client that stalls or trickles cannot hold a connection for ever (HTTP_*_TIMEOUT_MS).
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // A batch of tRPC calls names them all in one path segment (`/trpc/a.b,c.d,...`).
    routerOptions: { maxParamLength: TRPC_PATH_MAX_LENGTH },
    trustProxy: trustProxyOption(deps.config.trustProxy),
  });

  server.server.maxConnections = limits.maxConnections;
  // Node answers a slow client's headers with 408 after this long; never later than the request limit.
  server.server.headersTimeout = Math.min(60_000, limits.requestTimeoutMs);

  const connections = trackConnections(server);
  let closing = false;
  server.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    // While draining, tell keep-alive clients not to reuse the connection.
    if (closing) reply.header("connection", "close");
  });
  server.addHook("onRequest", async () => {
    deps.metrics.httpInFlight.inc();
  });
  server.addHook("onResponse", async () => {
    deps.metrics.httpInFlight.dec();
  });
  server.addHook("preClose", async () => {
    closing = true;
    // Connections with no request in flight that the idle sweep does not reach (a socket left
    // behind by an aborted download, a preconnected one) would hold close() until their idle
    // timeout: past this share of SHUTDOWN_TIMEOUT_MS they are closed, so the process still
    // exits cleanly in time. Requests in flight keep theirs.
    setTimeout(() => connections.closeUnused(), deps.config.shutdownTimeoutMs * 0.4).unref();
    // A download in flight would keep the server (and its connection) open until it ends.
    await deps.exports.stopAll();
  });
  server.addHook("onRequest", async (request, reply) => {
    // tRPC calls are refused by createContext, so their typed client reads a tRPC error.
    if (!closing || request.url.startsWith("/trpc")) return;
    reply.header("connection", "close");
    return reply.status(503).send({ error: { code: "SERVICE_UNAVAILABLE", message: SHUTTING_DOWN } });
  });
  limitWebSocketsPerAddress(server, limits.wsMaxConnectionsPerAddress);

  // Helmet's middleware built once: @fastify/helmet rebuilt it (parsing the CSP) on every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        // Only ask browsers to upgrade to HTTPS when the app is actually served over HTTPS;
        // otherwise a plain-HTTP deployment on a LAN address would load no scripts.
        "upgrade-insecure-requests": deps.config.publicUrl.startsWith("https:") ? [] : null,
      },
    },
  });
  server.addHook("onRequest", (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  await server.register(cors, {
    origin: deps.config.corsOrigins.length > 0 ? deps.config.corsOrigins : false,
    credentials: true,
  });
  await server.register(cookie);
  await server.register(websocket, { options: { maxPayload: 1024 * 1024 } });

  // What reaches a plain route's error handler was not answered by the route itself: a service's
  // DomainError, an outage (503 with Retry-After), Fastify refusing the request, or a bug.
  server.setErrorHandler((error: { statusCode?: number; message?: string; code?: string }, request, reply) => {
    const domain = domainErrorOf(error);
    if (domain) {
      const wait = domain.details.retryAfterMs;
      if (wait !== undefined) reply.header("retry-after", String(Math.max(1, Math.ceil(wait / 1000))));
      return reply.status(httpStatusOf(domain.code)).send(errorBody(domain));
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      deps.reportError(`http:${request.method} ${request.routeOptions.url ?? "unknown"}`, error, request.id);
      return reply.status(500).send({
        error: {
          code: "INTERNAL_SERVER_ERROR",
          message: `Internal error (request ${request.id}).`,
          requestId: request.id,
        },
      });
    }
    // Fastify words its own refusals (FST_* codes) for clients; a body parser's message is not ours.
    const ours = typeof error.code === "string" && error.code.startsWith("FST_");
    return reply.status(status).send({
      error: {
        code: ours ? error.code : "BAD_REQUEST",
        message: ours ? error.message : "The request could not be read.",
      },
    });
  });

  await registerTrpc(server, {
    router: appRouter,
    createContext: async ({ req, res, info }) => {
      if (closing) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: SHUTTING_DOWN });
      // For WebSocket connections the adapter hands over Node's raw upgrade request: no
      // Fastify id, ip or parsed cookies, so those are read from the request itself.
      const ws = req.headers.upgrade?.toLowerCase() === "websocket";
      const raw = req as unknown as { id?: string; ip?: string; socket?: { remoteAddress?: string } };
      const cookies = ws ? server.parseCookie(req.headers.cookie ?? "") : req.cookies;
      return createContext(deps, {
        requestId: (ws ? undefined : raw.id) ?? randomUUID(),
        ip: (ws ? undefined : raw.ip) ?? raw.socket?.remoteAddress ?? "unknown",
        userAgent: req.headers["user-agent"],
        transport: ws ? "ws" : "http",
        token: tokenFrom(
          deps.config,
          { headers: req.headers, cookies, method: req.method },
          info.connectionParams,
          ws ? "ws" : "http",
        ),
        sessionCookie: ws ? undefined : sessionCookieFor(deps.config, res),
        deviceCookie: ws ? undefined : deviceCookieFor(deps.config, cookies, res),
      });
    },
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
    // A refused-for-now call also says when to retry in the standard header.
    responseMeta: ({ errors }) => {
      const wait = errors
        .map((error) => (error.cause instanceof DomainError ? error.cause.details.retryAfterMs : undefined))
        .find((ms) => ms !== undefined);
      return wait === undefined ? {} : { headers: { "retry-after": String(Math.max(1, Math.ceil(wait / 1000))) } };
    },
  });

  server.get("/healthz", async () => ({ status: "ok" }));
  server.get("/readyz", async (_request, reply) => {
    // 503 only when requests would fail; a broker outage (events wait in the outbox) is "degraded".
    const dependencies = await checkDependencies(deps.probes);
    const ready = isReady(deps.probes, dependencies);
    const status = !ready ? "unavailable" : dependencies.every((d) => d.status === "up") ? "ready" : "degraded";
    return reply.status(ready ? 200 : 503).send({ status, dependencies });
  });
  server.get("/metrics", async (request, reply) => {
    const token = deps.config.metricsToken;
    const given = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? "";
    if (token && !constantTimeEqual(given, token)) {
      return reply.status(401).send({ error: { code: "UNAUTHORIZED", message: "Metrics need the metrics token." } });
    }
    reply.header("content-type", deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  for (const addRoutes of options.routes ?? []) await addRoutes(server);

  await serveClient(server, deps.config.clientDistDir);
  return server;
}

const SHUTTING_DOWN = "The server is restarting. Please try again in a moment.";

/** Which open connections have a request in flight, so shutdown can close the others. */
function trackConnections(server: FastifyInstance): { closeUnused(): void } {
  const open = new Set<Socket>();
  const inFlight = new Map<Socket, number>();
  server.server.on("connection", (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => {
      open.delete(socket);
      inFlight.delete(socket);
    });
  });
  server.addHook("onRequest", async (request) => {
    const socket = request.raw.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
  });
  server.addHook("onResponse", async (request) => {
    const socket = request.raw.socket;
    const left = (inFlight.get(socket) ?? 1) - 1;
    if (left > 0) inFlight.set(socket, left);
    else inFlight.delete(socket);
  });
  return {
    closeUnused() {
      for (const socket of open) if (!inFlight.has(socket)) socket.destroy();
    },
  };
}

/**
 * Refuses a WebSocket upgrade with 429 once an address holds WS_MAX_CONNECTIONS_PER_ADDRESS
 * sockets, so one client cannot pin an unbounded number of connections (and their contexts).
 */
function limitWebSocketsPerAddress(server: FastifyInstance, max: number): void {
  const open = new Map<string, number>();
  server.addHook("onRequest", async (request, reply) => {
    if (request.headers.upgrade?.toLowerCase() !== "websocket") return;
    const address = request.ip;
    const count = open.get(address) ?? 0;
    if (count >= max) {
      // This answer goes straight onto the upgrade's socket, which nothing else would close.
      reply.raw.once("finish", () => request.raw.socket.destroy());
      reply.header("connection", "close");
      return reply.status(429).send({
        error: {
          code: "TOO_MANY_REQUESTS",
          message: `Too many live connections from this address (WS_MAX_CONNECTIONS_PER_ADDRESS=${max}).`,
        },
      });
    }
    open.set(address, count + 1);
    request.raw.socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

/**
 * Stops accepting and waits for in-flight requests. Connections that were busy when closing
 * began go idle after their response; sweeping idle ones repeatedly lets close() finish
 * instead of waiting on keep-alive clients.
 */
export async function closeGracefully(server: FastifyInstance): Promise<void> {
  const sweeper = setInterval(() => server.server.closeIdleConnections(), 50);
  try {
    await server.close();
  } finally {
    clearInterval(sweeper);
  }
}
