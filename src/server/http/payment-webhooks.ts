import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../deps.js";
import { DomainError } from "../services/errors.js";
import { httpStatusOf } from "./domain-status.js";
import { refusedForRate } from "./rate-limit.js";

/** Provider webhooks are small; anything bigger is not one. */
const WEBHOOK_BODY_LIMIT = 256 * 1024;

/**
 * `POST /webhooks/payments/:provider`. Signatures cover the exact bytes the provider sent, so
 * this route keeps the raw body: its own scope replaces every content-type parser with one
 * that hands over the Buffer untouched (JSON parsing would re-serialise and break them).
 */
export function paymentWebhookRoutes(deps: ApiDeps) {
  return async (server: FastifyInstance): Promise<void> => {
    await server.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => {
        done(null, body);
      });

      scope.post<{ Params: { provider: string } }>("/webhooks/payments/:provider", async (request, reply) => {
        if (await refusedForRate(deps, `ip:${request.ip}`, reply)) return reply;
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        try {
          const outcome = await deps.payments.receiveWebhook(request.params.provider, {
            rawBody,
            headers: request.headers,
          });
          return reply.status(200).send({ received: true, outcome });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          request.log.warn({ provider: request.params.provider, reason: error.message }, "webhook refused");
          return reply.status(httpStatusOf(error.code)).send({ error: { code: error.code, message: error.message } });
        }
      });
    });
  };
}
