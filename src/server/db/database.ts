import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import * as schema from "./schema/index.js";

export { schema };
export type Schema = typeof schema;

/**
 * Both drivers share these types, so repositories and services never know which one runs. What
 * does differ lives in `client.ts` (opening one) and `bulk/` (COPY, cancelling a statement).
 */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query can run on: the database itself or an open transaction. */
export type Executor = Database | Transaction;

/**
 * Runs raw SQL and returns its rows. postgres.js answers `execute` with an array and PGlite
 * with `{ rows }`; this hides the difference so raw queries stay portable.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
