import type { AnyRouter, inferRouterContext } from "@trpc/server";
import { incomingMessageToRequest } from "@trpc/server/adapters/node-http";
import {
  type CreateWSSContextFnOptions,
  getWSConnectionHandler,
  type WSSHandlerOptions,
} from "@trpc/server/adapters/ws";
import { type HTTPBaseHandlerOptions, resolveResponse } from "@trpc/server/http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/**
 * tRPC on Fastify, HTTP and WebSocket, with tRPC's own request resolution (`resolveResponse`:
 * its wire format, batching, errors and content types) but a cheaper way in and out than its
 * Fastify adapter, which turns every request into a WHATWG `Request` (undici, a Headers copy)
 * and streams every answer back through a `ReadableStream` in chunked encoding. Here a JSON or
 * GET call reads Node's request directly and a plain JSON answer is sent in one write with a
 * Content-Length; anything else (multipart bodies, jsonl batch streams, SSE) goes the adapter's
 * way. See docs/decisions/0013 and `npm run bench` for what it buys.
 */
export interface TrpcRoutesOptions<TRouter extends AnyRouter> {
  router: TRouter;
  /**
   * Same contract as tRPC's Fastify adapter: `req`/`res` are Fastify's for HTTP calls; for a
   * WebSocket they are Node's raw upgrade request and the socket (typed as Fastify's there too).
   */
  createContext: (opts: {
    req: FastifyRequest;
    res: FastifyReply;
    info: CreateWSSContextFnOptions["info"];
  }) => Promise<inferRouterContext<TRouter>>;
  responseMeta?: HTTPBaseHandlerOptions<TRouter, Request>["responseMeta"];
  keepAlive?: WSSHandlerOptions<TRouter>["keepAlive"];
}

/** Registers `/trpc/:path` (HTTP) and `/trpc` (WebSocket) in a scope of their own. */
export async function registerTrpc<TRouter extends AnyRouter>(
  server: FastifyInstance,
  options: TrpcRoutesOptions<TRouter>,
): Promise<void> {
  await server.register(
    async (scope) => {
      // As tRPC's adapter does: bodies reach tRPC unparsed, so a malformed one gets tRPC's error.
      scope.removeContentTypeParser("application/json");
      scope.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => done(null, body));
      scope.removeContentTypeParser("multipart/form-data");
      scope.addContentTypeParser("multipart/form-data", {}, (_request, body, done) => done(null, body));

      scope.all<{ Params: { path: string } }>("/:path", async (request, reply) => {
        const response = await resolveResponse({
          router: options.router,
          path: request.params.path,
          req: requestFor(request, reply, scope.initialConfig.bodyLimit ?? DEFAULT_BODY_LIMIT),
          error: null,
          createContext: ({ info }) => options.createContext({ req: request, res: reply, info }),
          responseMeta: options.responseMeta,
        });
        reply.status(response.status);
        for (const [name, value] of response.headers) reply.header(name, value);
        // A plain (non-batch-stream, non-SSE) answer is one JSON string already: send it whole.
        const streamed = response.headers.has("transfer-encoding") || !isJson(response.headers.get("content-type"));
        return streamed || !response.body
          ? reply.send(response.body ? response : undefined)
          : reply.send(await response.text());
      });

      // tRPC's Fastify adapter passes these without `wss` too: the connection handler never reads it.
      const wsOptions = { router: options.router, createContext: options.createContext, keepAlive: options.keepAlive };
      const onConnection = getWSConnectionHandler<TRouter>(wsOptions as unknown as WSSHandlerOptions<TRouter>);
      scope.get("", { websocket: true }, (socket, request) => onConnection(socket, request.raw));
    },
    { prefix: "/trpc" },
  );
}

/** Fastify's own default, for a server created without `bodyLimit`. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

function isJson(contentType: string | null): boolean {
  return contentType?.startsWith("application/json") === true;
}

/**
 * What `resolveResponse` reads of a request: url, method, headers (get/has), signal and, for a
 * JSON POST, json(). Anything else is built as a real `Request`, as tRPC's adapter builds it.
 */
function requestFor(request: FastifyRequest, reply: FastifyReply, maxBodySize: number): Request {
  const raw = request.raw;
  const body = request.body;
  const json = request.method === "GET" || request.method === "HEAD" || typeof body === "string";
  if (!json) {
    // A multipart body is left unread by Fastify (its parser hands the stream on), so the body
    // limit is applied here, as tRPC reads the raw stream; handing it the stream as `req.body`
    // instead would skip that limit and buffer a body of any size.
    return incomingMessageToRequest(raw, reply.raw, { maxBodySize });
  }
  const headers = raw.headers;
  const controller = new AbortController();
  // The signal aborts when the client goes away before the answer is complete, as tRPC's adapter does.
  const onAbort = () => {
    reply.raw.off("close", onClose);
    raw.off("aborted", onAbort);
    controller.abort();
  };
  const onClose = () => {
    if (reply.raw.writableEnded) raw.off("aborted", onAbort);
    else onAbort();
  };
  reply.raw.once("close", onClose);
  raw.once("aborted", onAbort);
  const like = {
    url: `${request.protocol}://${request.host || "localhost"}${request.url}`,
    method: request.method,
    signal: controller.signal,
    headers: {
      get(name: string): string | null {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
      has(name: string): boolean {
        return headers[name.toLowerCase()] !== undefined;
      },
    },
    async json(): Promise<unknown> {
      return JSON.parse(body as string);
    },
    async text(): Promise<string> {
      return body as string;
    },
  };
  return like as unknown as Request;
}
