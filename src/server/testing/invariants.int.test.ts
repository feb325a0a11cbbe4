import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkInvariants, type InvariantResult } from "./invariants.js";
import { createTestPostgres, type TestPostgres } from "./services.js";

/**
 * The invariants the fault suite and the soak rely on must be able to fail: each check is
 * shown a database that breaks it (rows written by hand, as a bug would leave them).
 */
describe("invariants", () => {
  let database: TestPostgres;
  let sql: postgres.Sql;
  const userId = randomUUID();

  const failing = (results: InvariantResult[]) => results.filter((r) => !r.ok).map((r) => r.name);

  beforeAll(async () => {
    database = await createTestPostgres();
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    await sql`insert into users (id, email, name, password_hash) values (${userId}, 'i@inv.test', 'I', 'x')`;
  });
  afterAll(async () => {
    await sql?.end();
    await database?.drop();
  });

  it("all hold on an empty database", async () => {
    expect(failing(await checkInvariants(database.url, { drainTimeoutMs: 0 }))).toEqual([]);
  });

  it("an event the audit log never got", async () => {
    const id = randomUUID();
    await sql`insert into outbox (id, type, envelope, published_at) values (${id}, 'user.registered', '{}', now())`;
    expect(failing(await checkInvariants(database.url, { drainTimeoutMs: 300 }))).toEqual([
      "every outbox event is in the audit log exactly once",
    ]);
    await sql`insert into audit_log (id, type, actor_kind, occurred_at, payload) values (${id}, 'user.registered', 'system', now(), '{}')`;
    expect(failing(await checkInvariants(database.url, { drainTimeoutMs: 0 }))).toEqual([]);
  });

  it("an unbalanced ledger transaction", async () => {
    const paymentId = randomUUID();
    await sql`insert into payments (id, owner_id, provider, amount, currency, payment_method, status)
              values (${paymentId}, ${userId}, 'sandbox', 1000, 'USD', 'pm', 'succeeded')`;
    await sql`insert into ledger_entries (transaction_id, payment_id, kind, account, currency, amount)
              values (${randomUUID()}, ${paymentId}, 'capture', 'sales', 'USD', -1000)`;
    expect(failing(await checkInvariants(database.url, { drainTimeoutMs: 0 }))).toEqual([
      "every ledger transaction balances",
    ]);
  });

  it("refunds reserved beyond the payment's amount", async () => {
    const paymentId = randomUUID();
    await sql`insert into payments (id, owner_id, provider, amount, currency, payment_method, status)
              values (${paymentId}, ${userId}, 'sandbox', 500, 'USD', 'pm', 'failed')`;
    for (const amount of [300, 300]) {
      await sql`insert into payment_refunds (payment_id, requested_by, amount, currency)
                values (${paymentId}, ${userId}, ${amount}, 'USD')`;
    }
    const results = await checkInvariants(database.url, { drainTimeoutMs: 0 });
    const refunds = results.find((r) => r.name.startsWith("no payment refunded"));
    expect(refunds?.ok).toBe(false);
    expect(refunds?.detail).toContain(paymentId);
  });

  it("a succeeded run without its output, and an output of a failed run", async () => {
    const datasetId = randomUUID();
    const pipelineId = randomUUID();
    await sql`insert into datasets (id, owner_id, name, status, source, table_name)
              values (${datasetId}, ${userId}, 'in', 'ready', 'upload', ${`ds_${datasetId.replace(/-/g, "")}`})`;
    await sql`insert into pipelines (id, owner_id, name, dataset_id, steps) values (${pipelineId}, ${userId}, 'p', ${datasetId}, '[]')`;
    const [ok, failed] = [randomUUID(), randomUUID()];
    for (const [id, status] of [
      [ok, "succeeded"],
      [failed, "failed"],
    ] as const) {
      await sql`insert into pipeline_runs (id, pipeline_id, owner_id, idempotency_key, trigger, status, steps)
                values (${id}, ${pipelineId}, ${userId}, ${id}, 'manual', ${status}, '[]')`;
    }
    await sql`insert into datasets (owner_id, name, status, source, table_name, source_run_id)
              values (${userId}, 'out', 'ready', 'pipeline', 'ds_orphan', ${failed})`;
    const results = await checkInvariants(database.url, { drainTimeoutMs: 0 });
    const runs = results.find((r) => r.name === "one output per successful pipeline run");
    expect(runs?.ok).toBe(false);
    expect(runs?.detail).toContain(ok);
    expect(runs?.detail).toContain(failed);
  });

  it("a revoked session the API still accepts", async () => {
    const answers: Record<string, string> = { gone: "UNAUTHORIZED", alive: "OK" };
    const results = await checkInvariants(database.url, {
      drainTimeoutMs: 0,
      revokedTokens: ["gone", "alive"],
      probe: async (token) => answers[token] ?? "?",
    });
    const sessions = results.find((r) => r.name === "no revoked session is accepted");
    expect(sessions).toMatchObject({ ok: false, detail: expect.stringContaining('"answer":"OK"') });
  });
});
