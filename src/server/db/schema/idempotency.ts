import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users.js";

/**
 * Idempotency keys, as Stripe keeps them: the first request with a key inserts this row and
 * holds a lease while it works; the response is stored with the final state change, and every
 * later request with the key and the same parameters (the fingerprint) gets that response.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The operation, e.g. `payments.create`: one key may be reused across operations. */
    scope: text("scope").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** SHA-256 of the canonical request parameters. */
    fingerprint: text("fingerprint").notNull(),
    status: text("status", { enum: ["in_progress", "completed"] }).notNull(),
    /** The row the operation created (payment, refund), so a retry resumes instead of starting over. */
    resourceId: uuid("resource_id"),
    /** superjson-serialised response, once completed. */
    response: jsonb("response"),
    /** While in progress: another caller may take over after this (the first one crashed). */
    lockedUntil: timestamp("locked_until", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    /** Kept at least until then (24 h); purged by a scheduled job afterwards. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [
    uniqueIndex("idempotency_keys_scope_user_key_idx").on(table.scope, table.userId, table.key),
    index("idempotency_keys_expires_idx").on(table.expiresAt),
  ],
);
