import { randomUUID } from "node:crypto";

/**
 * The id of the job enqueued under `name` with `idempotencyKey`, so a service can find or cancel
 * it without storing the id (e.g. `jobIdFor("pipeline.run", runId)`). Keys are scoped by job name.
 * Both parts are URI-encoded: BullMQ rejects ids that contain ":" or look like integers, and
 * encoding keeps every (name, key) pair distinct.
 */
export function jobIdFor(name: string, idempotencyKey: string): string {
  return `${encodeURIComponent(name)}/${encodeURIComponent(idempotencyKey)}`;
}

/** Ids of jobs enqueued without a key: random, so both adapters hand out the same kind of id. */
export function randomJobId(): string {
  return randomUUID();
}
