import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../testing/cluster.js";
import { allHold, checkInvariants, formatInvariants } from "../testing/invariants.js";
import type { TrpcHttp } from "../testing/processes.js";

/**
 * A worker process killed with SIGKILL in the middle of an import and in the middle of a
 * payment's settlement: another worker finishes the work, once. Each kill lands while the
 * victim waits on a row lock this test holds, inside the transaction that would finish the
 * work, so the kill is truly "mid-way". (The same for a pipeline run lives in
 * services/pipelines/runs.int.test.ts, which also ends with the invariants.)
 */
describe("a worker killed mid-import and mid-settlement", () => {
  let cluster: Cluster;
  let api: TrpcHttp;
  let sql: postgres.Sql;
  let token: string;

  beforeAll(async () => {
    cluster = await startCluster({ apis: 1, workers: 0 });
    api = cluster.apis[0]?.http as TrpcHttp;
    sql = postgres(cluster.databaseUrl, { max: 3, onnotice: () => {} });
    const signup = await api.mutation<{ accessToken: string }>("auth.signup", {
      email: "killed@faults.test",
      password: "a perfectly fine passphrase",
      name: "K",
    });
    token = signup.data?.accessToken ?? "";
  }, 90_000);
  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await cluster?.close();
  }, 60_000);

  /** Holds a row lock until released: whoever updates that row waits inside its transaction. */
  async function lockRow(table: "datasets" | "payments", id: string): Promise<() => Promise<void>> {
    const session = await sql.reserve();
    await session`begin`;
    await session`select 1 from ${session(table)} where id = ${id} for update`;
    return async () => {
      await session`commit`;
      session.release();
    };
  }

  async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A worker's statement is waiting on our lock: it is inside the finishing transaction. */
  const someoneWaits = () =>
    waitFor(async () => {
      const [row] = await sql<[{ n: number }]>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`;
      return (row?.n ?? 0) > 0 ? true : undefined;
    }, "a worker to wait on the lock");

  /** Starts a worker, kills it with SIGKILL once it waits on `lock`, then lets a fresh worker take over. */
  async function killMidway(release: () => Promise<void>): Promise<void> {
    const victim = await cluster.addWorker("victim");
    await someoneWaits();
    await victim.stop("SIGKILL");
    await release();
    await cluster.addWorker("survivor");
  }

  async function stopWorkers(): Promise<void> {
    for (const worker of cluster.workers.splice(0)) await worker.stop("SIGTERM");
  }

  it("finishes an import once", async () => {
    await stopWorkers();
    const csv = ["k,v", ...Array.from({ length: 2000 }, (_, i) => `${"abc"[i % 3]},${i}`)].join("\n");
    const upload = await api.upload("killed mid-import", csv, token);
    expect(upload.status).toBe(202);
    const { importId, datasetId } = upload.data ?? { importId: "", datasetId: "" };

    await killMidway(await lockRow("datasets", datasetId));

    const done = await waitFor(async () => {
      const view = await api.query<{ status: string; rowsImported: number }>(
        "pipelines.datasets.importById",
        { importId },
        token,
      );
      return view.data?.status === "succeeded" || view.data?.status === "failed" ? view.data : undefined;
    }, "the import to finish");
    expect(done).toMatchObject({ status: "succeeded", rowsImported: 2000 });
    const [row] = await sql<[{ attempts: number }]>`select attempts from dataset_imports where id = ${importId}`;
    expect(row?.attempts).toBe(2);
    const events =
      await sql`select id from outbox where type = 'dataset.imported' and envelope->'payload'->>'datasetId' = ${datasetId}`;
    expect(events).toHaveLength(1);
    // The killed attempt's half-loaded table was replaced, not kept beside the new one.
    const [tables] = await sql<[{ n: number }]>`select count(*)::int as n from pg_tables where tablename like 'ds\\_%'`;
    const [ready] = await sql<[{ n: number }]>`select count(*)::int as n from datasets where status = 'ready'`;
    expect(tables?.n).toBe(ready?.n);
  }, 60_000);

  it("settles a payment once", async () => {
    await stopWorkers();
    const created = await api.mutation<{ id: string }>(
      "payments.create",
      { amount: 2500, currency: "USD", paymentMethod: "pm_card_visa", idempotencyKey: "killed-mid-settlement" },
      token,
    );
    expect(created.code).toBe("OK");
    const paymentId = created.data?.id ?? "";

    await killMidway(await lockRow("payments", paymentId));

    const settled = await waitFor(async () => {
      const view = await api.query<{ status: string }>("payments.byId", { id: paymentId }, token);
      return view.data?.status === "succeeded" ? view.data : undefined;
    }, "the payment to settle");
    expect(settled.status).toBe("succeeded");
    const captures =
      await sql`select distinct transaction_id from ledger_entries where payment_id = ${paymentId} and kind = 'capture'`;
    expect(captures).toHaveLength(1);
    const succeeded =
      await sql`select id from outbox where type = 'payment.succeeded' and envelope->'payload'->>'paymentId' = ${paymentId}`;
    expect(succeeded).toHaveLength(1);
  }, 60_000);

  it("leaves every invariant holding", async () => {
    const invariants = await checkInvariants(cluster.databaseUrl, { drainTimeoutMs: 20_000 });
    expect(allHold(invariants), formatInvariants(invariants)).toBe(true);
  }, 30_000);
});
