import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Secrets the operator did not configure (JWT_SECRET, SANDBOX_WEBHOOK_SECRET): generated at
 * random by the first instance to start, inserted with `on conflict do nothing`, so every
 * instance sharing the database signs with the same one and restarts keep sessions valid.
 */
export const generatedSecrets = pgTable("generated_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
