import { pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { baseColumns } from "./base.js";

export const roleEnum = pgEnum("role", ["admin", "user", "guest"]);

export const users = pgTable(
  "users",
  {
    ...baseColumns,
    /** Stored lower-cased and trimmed, so uniqueness is case-insensitive. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: roleEnum("role").notNull().default("user"),
    /** argon2id PHC string; null for an account opened by single sign-on that has set none yet. */
    passwordHash: text("password_hash"),
    /** Tokens issued before this instant are refused. */
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /** When the current email was proven (a mailed link opened); null until then. See services/account. */
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    /** The account was deleted: personal data erased, the row kept under a pseudonym for the ledger and audit. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (table) => [uniqueIndex("users_email_idx").on(table.email)],
);
