import { pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { baseColumns } from "./base.js";

export const roleEnum = pgEnum("role", ["admin", "user", "guest"]);

/** Accounts. The foundation keeps the columns every later feature needs; accounts adds credentials. */
export const users = pgTable(
  "users",
  {
    ...baseColumns,
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: roleEnum("role").notNull().default("user"),
  },
  (table) => [uniqueIndex("users_email_idx").on(table.email)],
);
