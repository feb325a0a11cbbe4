import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Caller } from "../../shared/ownership.js";
import { can, type Permission } from "../../shared/permissions.js";
import { uploadOptionsSchema } from "../../shared/schemas/pipelines.js";
import type { ApiDeps } from "../deps.js";
import { DomainError } from "../services/errors.js";
import { type UploadRefusal, UploadRefusedError } from "../services/pipelines/upload-errors.js";
import { tokenFrom } from "./credentials.js";
import { httpStatusOf } from "./domain-status.js";
import { refusedForRate } from "./rate-limit.js";

const REFUSAL_STATUS: Record<UploadRefusal, number> = {
  too_large: 413,
  unsupported_format: 415,
  unsupported_charset: 415,
  empty: 400,
  storage_quota: 413,
  dataset_limit: 403,
};

/**
 * `POST /api/datasets` (streaming upload) and `GET /api/datasets/:id/export.csv` (streamed
 * download): the parts of the data set API that are byte streams rather than JSON procedures.
 * They authenticate, spend the API rate limit and check permissions exactly as procedures do
 * (bearer token, or the session cookie with the client header), and answer errors in the same
 * `{ error: { code, message } }` shape as the rest of /api.
 */
export function datasetsRoutes(deps: ApiDeps) {
  return async (server: FastifyInstance) => {
    // Its own scope: the pass-through body parser below applies to these routes only.
    await server.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      // The body stays a stream: the service writes it to disk as it arrives, never buffering it.
      // Fastify's bodyLimit does not apply to streamed bodies; UPLOAD_MAX_BYTES is enforced while streaming.
      scope.addContentTypeParser("*", (_request, payload, done) => done(null, payload));

      scope.post("/api/datasets", async (request, reply) => {
        const caller = await authorize(deps, request, reply, "datasets:write");
        if (!caller) return reply;
        const options = uploadOptionsSchema.safeParse(request.query);
        if (!options.success) {
          const issue = options.error.issues[0];
          return sendError(reply, 400, "BAD_REQUEST", `${issue?.path.join(".") || "query"}: ${issue?.message}`);
        }
        const body = request.body instanceof Readable ? request.body : Readable.from([]);
        const upload = endWhenIdle(body, deps.config.http.uploadIdleTimeoutMs);
        const length = Number(request.headers["content-length"]);
        try {
          // REQUIRE_VERIFIED_EMAIL=imports: refused before a byte of the body is read.
          await deps.account.requireVerifiedEmail(caller, "imports");
          const accepted = await deps.pipelines.datasets.receiveUpload(caller, upload.chunks, {
            contentType: request.headers["content-type"],
            declaredBytes: Number.isFinite(length) ? length : undefined,
            options: options.data,
          });
          return reply.status(202).send(accepted);
        } catch (error) {
          if (upload.stalled()) {
            reply.header("connection", "close");
            const seconds = deps.config.http.uploadIdleTimeoutMs / 1000;
            return sendError(
              reply,
              408,
              "UPLOAD_STALLED",
              `The upload sent nothing for ${seconds} seconds and was ended (UPLOAD_IDLE_TIMEOUT_MS). Please try again.`,
            );
          }
          // Stop reading a body we refused; the client learns why from the status.
          if (error instanceof UploadRefusedError) {
            reply.header("connection", "close");
            return sendError(reply, REFUSAL_STATUS[error.reason], error.reason.toUpperCase(), error.message);
          }
          if (error instanceof DomainError) {
            // The body may be left unread (UPLOADS_MAX_CONCURRENT_PER_USER refuses before reading it).
            reply.header("connection", "close");
            const wait = error.details.retryAfterMs;
            if (wait !== undefined) reply.header("retry-after", String(Math.max(1, Math.ceil(wait / 1000))));
            return sendError(reply, httpStatusOf(error.code), error.code, error.message);
          }
          throw error;
        }
      });
    });

    server.get<{ Params: { id: string } }>("/api/datasets/:id/export.csv", async (request, reply) => {
      const caller = await authorize(deps, request, reply, "datasets:read");
      if (!caller) return reply;
      const options = exportOptionsSchema.safeParse(request.query);
      if (!options.success) {
        const issue = options.error.issues[0];
        return sendError(reply, 400, "BAD_REQUEST", `${issue?.path.join(".") || "query"}: ${issue?.message}`);
      }
      if (!/^[0-9a-f-]{36}$/i.test(request.params.id)) return sendError(reply, 404, "NOT_FOUND", "Data set not found.");
      try {
        const { fileName, header, body } = await deps.pipelines.datasets.exportCsv(caller, request.params.id, {
          escapeFormulas: options.data.formulas === undefined ? undefined : options.data.formulas === "escape",
        });
        reply.header("content-type", "text/csv; charset=utf-8");
        reply.header("content-disposition", `attachment; filename="${fileName}"`);
        // pipeline() ties the two ends together: when Fastify destroys `out` because the client
        // went away, the database stream is destroyed too, which closes the export's connection.
        const out = new PassThrough();
        out.write(header, "utf8");
        pipeline(body, out).catch(() => {
          // A download cut short (client gone, time limit, shutdown) must not leave its
          // connection behind: it would count as busy and hold up a graceful close.
          if (!reply.raw.writableFinished) request.raw.socket?.destroy();
        });
        return reply.send(out);
      } catch (error) {
        if (error instanceof DomainError) return sendError(reply, httpStatusOf(error.code), error.code, error.message);
        throw error;
      }
    });
  };
}

/**
 * The caller, when signed in with `permission` and within the API rate limit; otherwise the
 * 401/403/429 is sent and undefined returned. In the order procedures go (see trpc/middlewares):
 * the session, then the budget (per account when signed in, per address otherwise), then rights.
 */
export async function authorize(
  deps: ApiDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  permission: Permission,
): Promise<Caller | undefined> {
  const token = tokenFrom(deps.config, request, null, "http");
  let user: Caller | null = null;
  let authProblem: DomainError | undefined;
  if (token) {
    try {
      user = await deps.auth.authenticate(token);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      authProblem = error;
    }
  }
  if (await refusedForRate(deps, user ? `user:${user.id}` : `ip:${request.ip}`, reply)) return undefined;
  if (authProblem) {
    sendError(reply, httpStatusOf(authProblem.code), authProblem.code, authProblem.message);
    return undefined;
  }
  if (!user) {
    sendError(reply, 401, "UNAUTHORIZED", "Please sign in.");
    return undefined;
  }
  if (!can(user.role, permission)) {
    sendError(reply, 403, "FORBIDDEN", "You do not have permission to do that.");
    return undefined;
  }
  return { id: user.id, role: user.role };
}

/** `?formulas=keep` exports cells as they are; `escape` (or EXPORT_ESCAPE_FORMULAS) neutralises them. */
const exportOptionsSchema = z.object({ formulas: z.enum(["escape", "keep"]).optional() });

/**
 * The upload's chunks, failing once the client has sent nothing for `idleMs` (a client that
 * stalls mid-upload): the service then removes what it wrote, and the route says why. The
 * request itself is left alone so that the answer can still be sent.
 */
function endWhenIdle(
  body: AsyncIterable<Buffer>,
  idleMs: number,
): { chunks: AsyncIterable<Buffer>; stalled(): boolean } {
  let stalled = false;
  async function* chunks(): AsyncGenerator<Buffer> {
    const iterator = body[Symbol.asyncIterator]();
    try {
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        const silence = new Promise<"stalled">((resolve) => {
          timer = setTimeout(() => resolve("stalled"), idleMs);
        });
        const next = await Promise.race([iterator.next(), silence]).finally(() => clearTimeout(timer));
        if (next === "stalled") {
          stalled = true;
          throw new Error(`upload idle for ${idleMs} ms`);
        }
        if (next.done) return;
        yield next.value;
      }
    } finally {
      // A refused upload stops reading as before; a stalled one has a read pending that never ends.
      if (!stalled) await iterator.return?.();
    }
  }
  return { chunks: chunks(), stalled: () => stalled };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.status(status).send({ error: { code, message } });
}
