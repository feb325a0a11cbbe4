import { pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { baseColumns } from "./base.js";
import { users } from "./users.js";

/**
 * Identities at an OpenID Connect provider that sign in as a Gantry account: (issuer, subject)
 * names one person at one provider for good (an email can change hands; `sub` cannot), so it
 * is the key, never the email. One identity per provider per account.
 */
export const ssoIdentities = pgTable(
  "sso_identities",
  {
    ...baseColumns,
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    /** The email the provider reported when the identity was linked: shown on the profile only. */
    email: text("email"),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("sso_identities_issuer_subject_idx").on(table.issuer, table.subject),
    // Also serves "this user's identities" (user_id leads).
    uniqueIndex("sso_identities_user_issuer_idx").on(table.userId, table.issuer),
  ],
);
