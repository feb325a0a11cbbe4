import { bigint, boolean, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { baseColumns } from "./base.js";
import { sessions } from "./sessions.js";
import { users } from "./users.js";

/**
 * WebAuthn credentials (passkeys), several per user. Only public material is stored: the
 * credential's id and COSE public key (base64url), its signature counter and transports.
 */
export const passkeys = pgTable(
  "passkeys",
  {
    ...baseColumns,
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The credential id the authenticator chose (base64url); one account per credential. */
    credentialId: text("credential_id").notNull().unique(),
    /** COSE-encoded public key, base64url. */
    publicKey: text("public_key").notNull(),
    /** Signature counter (an unsigned 32-bit value); 0 for authenticators that do not count. */
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports").array().notNull().default([]),
    /** `singleDevice` or `multiDevice` (synced passkeys), as the authenticator reported. */
    deviceType: text("device_type").notNull(),
    backedUp: boolean("backed_up").notNull().default(false),
    name: text("name").notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (table) => [index("passkeys_user_idx").on(table.userId)],
);

/**
 * Outstanding WebAuthn challenges: single-use (a verification deletes its row) and short-lived.
 * Only the SHA-256 of a challenge is kept. A registration challenge belongs to the session that
 * asked for it; a sign-in challenge to nobody yet (the passkey says whose account it is).
 */
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    ...baseColumns,
    challengeHash: text("challenge_hash").notNull().unique(),
    purpose: text("purpose", { enum: ["registration", "authentication"] }).notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    sessionId: uuid("session_id").references(() => sessions.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [index("webauthn_challenges_expires_idx").on(table.expiresAt)],
);
