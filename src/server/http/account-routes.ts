import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Caller } from "../../shared/ownership.js";
import type { ApiDeps } from "../deps.js";
import { DomainError } from "../services/errors.js";
import { authorize, sendError } from "./datasets-routes.js";
import { httpStatusOf } from "./domain-status.js";

/**
 * `GET /api/account/export.json` (one's own data) and `GET /api/users/:id/export.json` (an
 * administrator's view of anyone's): the account's data as one streamed JSON download. Session,
 * rate limit and permission are checked as for the CSV export; so are its concurrency and time limits.
 */
export function accountRoutes(deps: ApiDeps) {
  return async (server: FastifyInstance) => {
    server.get("/api/account/export.json", async (request, reply) => {
      const caller = await authorize(deps, request, reply, "profile:read");
      if (!caller) return reply;
      return sendExport(deps, request, reply, caller, caller.id);
    });

    server.get<{ Params: { id: string } }>("/api/users/:id/export.json", async (request, reply) => {
      const caller = await authorize(deps, request, reply, "users:manage");
      if (!caller) return reply;
      if (!/^[0-9a-f-]{36}$/i.test(request.params.id)) return sendError(reply, 404, "NOT_FOUND", "User not found.");
      return sendExport(deps, request, reply, caller, request.params.id);
    });
  };
}

async function sendExport(
  deps: ApiDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  caller: Caller,
  subjectId: string,
): Promise<FastifyReply> {
  try {
    const { fileName, body } = await deps.account.exportData(caller, subjectId);
    reply.header("content-type", "application/json; charset=utf-8");
    reply.header("content-disposition", `attachment; filename="${fileName}"`);
    reply.header("cache-control", "no-store");
    // As the CSV export: a client gone away destroys `out`, and with it the reading generator.
    const out = new PassThrough();
    pipeline(body, out).catch(() => {
      if (!reply.raw.writableFinished) request.raw.socket?.destroy();
    });
    return reply.send(out);
  } catch (error) {
    if (error instanceof DomainError) return sendError(reply, httpStatusOf(error.code), error.code, error.message);
    throw error;
  }
}
