import type { FastifyReply } from "fastify";
import type { ApiDeps } from "../deps.js";

/**
 * The plain HTTP routes spend the same per-caller budget as tRPC procedures. Answers 429
 * with Retry-After and returns true when the caller is over it.
 */
export async function refusedForRate(deps: ApiDeps, key: string, reply: FastifyReply): Promise<boolean> {
  const decision = await deps.apiRateLimiter.consume(key);
  if (decision.allowed) return false;
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  await reply
    .status(429)
    .header("retry-after", String(seconds))
    .send({ error: { code: "TOO_MANY_REQUESTS", message: `Too many requests. Try again in ${seconds} seconds.` } });
  return true;
}
