import { setTimeout as sleep } from "node:timers/promises";
import superjson, { type SuperJSONResult } from "superjson";
import type { Database, Executor } from "../../db/database.js";
import type { IdempotencyKeyRow, IdempotencyKeysRepository } from "../../repositories/idempotency-keys.js";
import { sha256 } from "../../utils/crypto.js";
import { DomainError } from "../errors.js";

export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyOptions {
  /** How long a request holds its key before another caller may assume it died and take over. */
  leaseMs?: number;
  /** How long a concurrent caller waits for the first request's answer. */
  waitMs?: number;
  pollMs?: number;
}

/** What an operation gets while it holds a key. */
export interface IdempotencyClaim {
  /** The payment or refund an earlier attempt created; the operation resumes from it. */
  resourceId: string | null;
  /** Records the created resource, in the transaction that created it. */
  attach(tx: Executor, resourceId: string): Promise<void>;
  /** Stores the response, in the transaction of the final state change. */
  complete(tx: Executor, response: unknown): Promise<void>;
}

export interface IdempotentRequest {
  /** The operation, e.g. `payments.create`. */
  scope: string;
  userId: string;
  key: string;
  /** Everything that defines the request; a different value under one key is a CONFLICT. */
  params: Record<string, unknown>;
}

/**
 * Idempotency keys with Stripe's promise: the same key and parameters give the same answer,
 * also while the first request is still running (later callers wait for its stored answer,
 * so the provider is called once); the same key with other parameters is a CONFLICT.
 *
 * A request that is refused before writing anything frees its key. One that fails halfway
 * (provider unreachable) keeps it with its lease released, and the next retry resumes from
 * the resource it created, with the same provider idempotency key: never a second charge.
 */
export class IdempotencyGuard {
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly db: Database,
    private readonly keys: IdempotencyKeysRepository,
    options: IdempotencyOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.waitMs = options.waitMs ?? 70_000;
    this.pollMs = options.pollMs ?? 25;
  }

  async run<R>(request: IdempotentRequest, operation: (claim: IdempotencyClaim) => Promise<R>): Promise<R> {
    const fingerprint = fingerprintOf(request.scope, request.params);
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const outcome = await this.claim(request, fingerprint);
      if (outcome.kind === "done") return decode<R>(outcome.response);
      if (outcome.kind === "claimed") return this.execute(outcome.row, operation);
      if (Date.now() > deadline) {
        throw new DomainError(
          "CONFLICT",
          "A request with this idempotency key is still being processed. Retry in a moment with the same key.",
        );
      }
      await sleep(this.pollMs);
    }
  }

  /** Deletes keys older than the retention period. */
  purgeExpired(now = new Date()): Promise<number> {
    return this.keys.purgeExpired(this.db, now);
  }

  private async claim(
    request: IdempotentRequest,
    fingerprint: string,
  ): Promise<{ kind: "claimed"; row: IdempotencyKeyRow } | { kind: "done"; response: unknown } | { kind: "wait" }> {
    const now = new Date();
    const inserted = await this.keys.insertIfAbsent(this.db, {
      scope: request.scope,
      userId: request.userId,
      key: request.key,
      fingerprint,
      status: "in_progress",
      lockedUntil: new Date(now.getTime() + this.leaseMs),
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_RETENTION_MS),
    });
    if (inserted) return { kind: "claimed", row: inserted };

    const existing = await this.keys.find(this.db, request.scope, request.userId, request.key);
    // Freed in between (the first request was refused): try to claim it again.
    if (!existing) return { kind: "wait" };
    if (existing.fingerprint !== fingerprint) {
      throw new DomainError(
        "CONFLICT",
        "This idempotency key was already used with different parameters. Use a new key for a new request.",
        { fieldErrors: { idempotencyKey: ["Already used with different parameters"] } },
      );
    }
    if (existing.status === "completed") return { kind: "done", response: existing.response };
    if (existing.lockedUntil.getTime() <= now.getTime()) {
      const taken = await this.keys.takeOver(this.db, existing.id, now, new Date(now.getTime() + this.leaseMs));
      if (taken) return { kind: "claimed", row: taken };
    }
    return { kind: "wait" };
  }

  private async execute<R>(row: IdempotencyKeyRow, operation: (claim: IdempotencyClaim) => Promise<R>): Promise<R> {
    let stored: SuperJSONResult | undefined;
    const claim: IdempotencyClaim = {
      resourceId: row.resourceId,
      attach: (tx, resourceId) => this.keys.attachResource(tx, row.id, resourceId),
      complete: async (tx, response) => {
        const serialized = superjson.serialize(response);
        await this.keys.complete(tx, row.id, serialized, new Date());
        stored = serialized;
      },
    };
    try {
      const result = await operation(claim);
      // Every caller, the first included, gets the stored answer: identical by construction.
      return stored ? decode<R>(stored) : result;
    } catch (error) {
      await this.settleFailure(row.id, error).catch(() => {});
      throw error;
    }
  }

  /**
   * A refusal that wrote nothing frees the key (the caller may fix the request and reuse it);
   * anything else keeps it, lease released, so a retry resumes where this attempt stopped.
   */
  private async settleFailure(id: string, error: unknown): Promise<void> {
    const current = await this.keys.findById(this.db, id);
    if (!current || current.status === "completed") return;
    if (error instanceof DomainError && current.resourceId === null) await this.keys.remove(this.db, id);
    else await this.keys.releaseLease(this.db, id, new Date());
  }
}

function decode<R>(response: unknown): R {
  return superjson.deserialize<R>(response as SuperJSONResult);
}

/** SHA-256 of the scope and the parameters with keys sorted, so property order never matters. */
export function fingerprintOf(scope: string, params: Record<string, unknown>): string {
  return sha256(`${scope}\n${canonicalJson(params)}`);
}

function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
