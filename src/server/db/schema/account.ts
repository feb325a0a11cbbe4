import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { baseColumns } from "./base.js";
import { users } from "./users.js";

/**
 * Single-use email verification links, kept like password resets: only the SHA-256 of the
 * token is stored. `email` is the address the link was sent to, so a link mailed before the
 * email changed cannot verify the new one.
 */
export const emailVerifications = pgTable(
  "email_verifications",
  {
    ...baseColumns,
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (table) => [index("email_verifications_user_idx").on(table.userId)],
);
