import { eq, inArray } from "drizzle-orm";
import type { PersonRef } from "../../shared/schemas/people.js";
import type { Executor } from "../db/database.js";
import { payments, pipelines, users } from "../db/schema/index.js";

/**
 * Names for the ids on one page of a list, in one query per kind (never one per row): a page
 * holds at most MAX_PAGE_SIZE rows, so the `in (…)` list is bounded. Ids that are not uuids
 * (an audit actor of another kind) or no longer exist are simply absent from the map.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uniqueUuids(ids: Iterable<string | null | undefined>): string[] {
  return [...new Set([...ids].filter((id): id is string => typeof id === "string" && UUID.test(id)))];
}

export async function peopleByIds(
  db: Executor,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, PersonRef>> {
  const wanted = uniqueUuids(ids);
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((row) => [row.id, row]));
}

export async function pipelineNamesByIds(db: Executor, ids: Iterable<string>): Promise<Map<string, string>> {
  const wanted = uniqueUuids(ids);
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: pipelines.id, name: pipelines.name })
    .from(pipelines)
    .where(inArray(pipelines.id, wanted));
  return new Map(rows.map((row) => [row.id, row.name]));
}

export interface PaymentParty {
  payer: PersonRef;
  description: string | null;
}

/** Who paid each payment on a page of ledger entries, and what for: one join, bounded by the page. */
export async function paymentPartiesByIds(db: Executor, ids: Iterable<string>): Promise<Map<string, PaymentParty>> {
  const wanted = uniqueUuids(ids);
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({
      id: payments.id,
      description: payments.description,
      payerId: users.id,
      payerName: users.name,
      payerEmail: users.email,
    })
    .from(payments)
    .innerJoin(users, eq(users.id, payments.ownerId))
    .where(inArray(payments.id, wanted));
  return new Map(
    rows.map((row) => [
      row.id,
      { payer: { id: row.payerId, name: row.payerName, email: row.payerEmail }, description: row.description },
    ]),
  );
}
