import postgres from "postgres";
import { AUDIT_CONSUMER } from "../services/audit/audit-service.js";

/**
 * What must hold after any fault, read straight from the database (and, for sessions, asked of
 * the API), so the fault suite and the soak judge a run the same way:
 * - every outbox event reached the audit log exactly once (after the relay drained);
 * - every ledger transaction balances, in each currency;
 * - no payment was refunded beyond its amount, and the books agree with the payment rows;
 * - every successful pipeline run has exactly one output, and no other run has one;
 * - no revoked session is accepted.
 * Each check reports what it found, so a failure message names the rows at fault.
 */

export interface InvariantResult {
  name: string;
  ok: boolean;
  /** Counts when it holds; the first offending rows when it does not. */
  detail: string;
}

/** The tRPC error code (or "OK") an authenticated call answers for `token`. */
export type SessionProbe = (token: string) => Promise<string>;

export interface InvariantOptions {
  /** Tokens of sessions that were revoked (logged out, revoked, password changed...). */
  revokedTokens?: readonly string[];
  probe?: SessionProbe;
  /** How long to wait for the relay and the audit consumer to catch up. */
  drainTimeoutMs?: number;
}

const sample = (rows: readonly unknown[]) => JSON.stringify(rows.slice(0, 5));
const result = (name: string, bad: readonly unknown[], good: string): InvariantResult =>
  bad.length === 0 ? { name, ok: true, detail: good } : { name, ok: false, detail: `${bad.length}: ${sample(bad)}` };

/** Runs every check against the database at `databaseUrl`. */
export async function checkInvariants(databaseUrl: string, options: InvariantOptions = {}): Promise<InvariantResult[]> {
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {}, connect_timeout: 10 });
  try {
    const results = [
      await auditMatchesOutbox(sql, options.drainTimeoutMs ?? 30_000),
      await ledgerBalances(sql),
      await refundsWithinAmounts(sql),
      await oneOutputPerSuccessfulRun(sql),
    ];
    if (options.revokedTokens && options.probe) results.push(await checkRevoked(options.revokedTokens, options.probe));
    return results;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** One line per check, for a test's failure message or the soak's report. */
export function formatInvariants(results: readonly InvariantResult[]): string {
  return results.map((r) => `${r.ok ? "ok  " : "FAIL"} ${r.name}: ${r.detail}`).join("\n");
}

export const allHold = (results: readonly InvariantResult[]) => results.every((r) => r.ok);

/**
 * Waits (bounded) until nothing is pending in the outbox and every event is in the audit log;
 * then compares both ways. The audit log is keyed by event id, so "exactly once" also means
 * the audit consumer recorded each event once and nothing the outbox never held.
 */
async function auditMatchesOutbox(sql: postgres.Sql, timeoutMs: number): Promise<InvariantResult> {
  const name = "every outbox event is in the audit log exactly once";
  const deadline = Date.now() + timeoutMs;
  let missing: Array<{ id: string; type: string; published: boolean }> = [];
  for (;;) {
    missing = await sql`
      select o.id, o.type, o.published_at is not null as published
      from outbox o left join audit_log a on a.id = o.id
      where a.id is null order by o.created_at limit 20`;
    if (missing.length === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (missing.length > 0) {
    const [{ n } = { n: 0 }] = await sql<[{ n: number }]>`
      select count(*)::int as n from outbox o left join audit_log a on a.id = o.id where a.id is null`;
    return { name, ok: false, detail: `${n} missing after ${timeoutMs} ms, e.g. ${sample(missing)}` };
  }
  const extra = await sql`
    select a.id, a.type from audit_log a left join outbox o on o.id = a.id where o.id is null limit 5`;
  const twice = await sql`
    select event_id, count(*)::int as n from processed_events where consumer = ${AUDIT_CONSUMER}
    group by event_id having count(*) > 1 limit 5`;
  const [{ events } = { events: 0 }] = await sql<[{ events: number }]>`select count(*)::int as events from outbox`;
  return result(name, [...extra.map((e) => ({ notInOutbox: e })), ...twice], `${events} events, each audited once`);
}

async function ledgerBalances(sql: postgres.Sql): Promise<InvariantResult> {
  const bad = await sql`
    select transaction_id, currency, sum(amount)::text as total from ledger_entries
    group by transaction_id, currency having sum(amount) <> 0 limit 20`;
  const [{ n } = { n: 0 }] = await sql<[{ n: number }]>`
    select count(distinct transaction_id)::int as n from ledger_entries`;
  return result("every ledger transaction balances", bad, `${n} transactions balanced`);
}

/**
 * Refunds never exceed the payment (counting pending reservations), the payment's refunded
 * amount is what its succeeded refunds add up to, and the ledger booked exactly that:
 * a captured payment once, each succeeded refund once.
 */
async function refundsWithinAmounts(sql: postgres.Sql): Promise<InvariantResult> {
  const bad = await sql`
    with refunds as (
      select payment_id,
        coalesce(sum(amount) filter (where status = 'succeeded'), 0)::bigint as succeeded,
        coalesce(sum(amount) filter (where status in ('succeeded', 'pending')), 0)::bigint as reserved
      from payment_refunds group by payment_id
    ), books as (
      select payment_id,
        coalesce(sum(amount) filter (where account = 'sales'), 0)::bigint as sales,
        coalesce(sum(amount) filter (where account = 'refunds'), 0)::bigint as refunded
      from ledger_entries group by payment_id
    )
    select p.id, p.status, p.amount::text, p.refunded_amount::text as "refundedAmount",
      coalesce(r.succeeded, 0)::text as "refundsSucceeded", coalesce(r.reserved, 0)::text as reserved,
      coalesce(b.sales, 0)::text as sales, coalesce(b.refunded, 0)::text as "booked"
    from payments p left join refunds r on r.payment_id = p.id left join books b on b.payment_id = p.id
    where p.refunded_amount > p.amount
       or coalesce(r.reserved, 0) > p.amount
       or coalesce(r.succeeded, 0) <> p.refunded_amount
       or coalesce(b.refunded, 0) <> p.refunded_amount
       or coalesce(b.sales, 0) <> case when p.status in ('succeeded', 'partially_refunded', 'refunded')
                                      then -p.amount else 0 end
    limit 20`;
  const [{ n, refunds } = { n: 0, refunds: 0 }] = await sql<[{ n: number; refunds: number }]>`
    select (select count(*)::int from payments) as n, (select count(*)::int from payment_refunds) as refunds`;
  return result("no payment refunded beyond its amount; books match", bad, `${n} payments, ${refunds} refunds`);
}

/**
 * A succeeded run names one ready output data set that points back at it, and no data set
 * claims a run that did not succeed (a killed or canceled attempt left nothing behind).
 */
async function oneOutputPerSuccessfulRun(sql: postgres.Sql): Promise<InvariantResult> {
  const bad = await sql`
    select r.id, r.status, r.output_dataset_id as "outputDatasetId",
      (select count(*)::int from datasets d where d.source_run_id = r.id) as outputs,
      (select count(*)::int from datasets d where d.id = r.output_dataset_id and d.status = 'ready') as ready
    from pipeline_runs r
    where (r.status = 'succeeded' and (
            r.output_dataset_id is null
            or (select count(*) from datasets d where d.source_run_id = r.id) <> 1
            or not exists (select 1 from datasets d where d.id = r.output_dataset_id
                           and d.source_run_id = r.id and d.status = 'ready')))
       or (r.status <> 'succeeded' and exists (select 1 from datasets d where d.source_run_id = r.id))
    limit 20`;
  const [{ n } = { n: 0 }] = await sql<[{ n: number }]>`
    select count(*)::int as n from pipeline_runs where status = 'succeeded'`;
  return result("one output per successful pipeline run", bad, `${n} succeeded runs, one output each`);
}

/** Each revoked session, probed through the API: it must answer UNAUTHORIZED. */
export async function checkRevoked(tokens: readonly string[], probe: SessionProbe): Promise<InvariantResult> {
  const bad: Array<{ token: string; answer: string }> = [];
  for (const token of tokens) {
    const answer = await probe(token).catch((error: unknown) => `threw ${String(error)}`);
    if (answer !== "UNAUTHORIZED") bad.push({ token: `…${token.slice(-8)}`, answer });
  }
  return result("no revoked session is accepted", bad, `${tokens.length} revoked sessions refused`);
}

/**
 * Probes a session over HTTP the way a client would: `auth.sessions` needs a live session, so
 * a revoked one must answer 401 (UNAUTHORIZED). Any other answer is reported as it came.
 */
export function httpSessionProbe(baseUrl: string): SessionProbe {
  return async (token) => {
    const response = await fetch(`${baseUrl}/trpc/auth.sessions`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(15_000),
    });
    if (response.ok) return "OK";
    const body = (await response.json().catch(() => null)) as {
      error?: { json?: { data?: { code?: string } } };
    } | null;
    return body?.error?.json?.data?.code ?? `HTTP ${response.status}`;
  };
}
