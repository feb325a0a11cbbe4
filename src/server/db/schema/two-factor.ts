import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { baseColumns } from "./base.js";
import { users } from "./users.js";

/**
 * A user's authenticator app (TOTP, RFC 6238). The secret must be readable to check a code,
 * so it is encrypted (AES-256-GCM under the two-factor key of core/secrets.ts), not hashed.
 * A row without `confirmedAt` is an enrolment begun but not yet proven with a code: it does
 * not guard sign-in. One row per user.
 */
export const twoFactorCredentials = pgTable(
  "two_factor_credentials",
  {
    ...baseColumns,
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** `v1.<iv>.<tag>.<ciphertext>`, base64url; see two-factor-secret-box.ts. */
    secretCiphertext: text("secret_ciphertext").notNull(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    /** The last 30-second step whose code was accepted: a code is never accepted twice. */
    lastUsedStep: bigint("last_used_step", { mode: "number" }),
  },
  (table) => [uniqueIndex("two_factor_credentials_user_idx").on(table.userId)],
);

/** Single-use recovery codes; only the SHA-256 of each (80 random bits) is stored. */
export const twoFactorRecoveryCodes = pgTable(
  "two_factor_recovery_codes",
  {
    ...baseColumns,
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (table) => [uniqueIndex("two_factor_recovery_codes_user_hash_idx").on(table.userId, table.codeHash)],
);

/**
 * A password sign-in waiting for its second factor: no session exists until a code completes
 * it. Short-lived and single-use; only the SHA-256 of the challenge token is stored.
 */
export const twoFactorChallenges = pgTable(
  "two_factor_challenges",
  {
    ...baseColumns,
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    /** Wrong codes against this challenge; past a few it is void (the rate limits apply too). */
    failedAttempts: integer("failed_attempts").notNull().default(0),
  },
  (table) => [index("two_factor_challenges_user_idx").on(table.userId)],
);
