import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGantry, type Gantry } from "../../app.js";
import { loadConfig } from "../../config.js";
import type { TestApp } from "../../testing/app.js";
import { cleanupNamespace } from "../../testing/cleanup.js";
import { allHold, checkInvariants, formatInvariants } from "../../testing/invariants.js";
import { importData, waitForRun } from "../../testing/pipelines.js";
import { createTestPostgres, type TestPostgres, testServiceUrls, uniqueName } from "../../testing/services.js";
import { expectSignedIn } from "../../testing/sign-in.js";
import { createContext } from "../../trpc/context.js";
import { createCallerFactory } from "../../trpc/init.js";
import { appRouter } from "../../trpc/router.js";

/**
 * Runs across real processes, as deployed: this process is the API only (no workers), and
 * `npm run worker` processes (src/server/worker.ts) do the work on PostgreSQL, Redis/BullMQ and
 * RabbitMQ. A lock on the input table holds a run inside its statement, so it can be canceled or
 * its worker killed at that exact point.
 */
const ADMIN = { email: "admin@runs.test", password: "admin passphrase for runs" };
const createCaller = createCallerFactory(appRouter);

describe("pipeline runs across processes (PostgreSQL, BullMQ, RabbitMQ)", () => {
  let database: TestPostgres;
  let api: Gantry;
  let app: TestApp;
  let env: Record<string, string>;
  let dataDir: string;
  let token: string;
  let adminToken: string;
  let datasetId: string;
  let pipelineId: string;
  let lockClient: postgres.Sql;
  const workers: ChildProcess[] = [];

  async function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", "src/server/worker.ts"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    workers.push(child);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const deadline = Date.now() + 30_000;
    while (!output.includes("Gantry workers are running")) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`worker did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return child;
  }

  async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill(signal);
    await exited;
  }

  /** Holds ACCESS EXCLUSIVE on the input table: a run reading it waits inside its statement. */
  async function lockInput(): Promise<() => Promise<void>> {
    const session = await lockClient.reserve();
    await session`begin`;
    await session.unsafe(`lock table "ds_${datasetId.replace(/-/g, "")}" in access exclusive mode`);
    return async () => {
      await session`commit`;
      session.release();
    };
  }

  const runView = (runId: string) => app.caller({ token }).pipelines.runById({ runId });
  const outputsOf = async (runId: string) =>
    (await app.caller({ token }).pipelines.datasets.list({ pageSize: 100 })).items.filter(
      (d) => d.sourceRunId === runId,
    );
  const waitForStatus = (runId: string, status: string) =>
    expect.poll(async () => (await runView(runId)).status, { timeout: 20_000, interval: 100 }).toBe(status);

  beforeAll(async () => {
    database = await createTestPostgres();
    await database.handle.close();
    dataDir = await mkdtemp(join(tmpdir(), "gantry-runs-"));
    env = {
      NODE_ENV: "test",
      DATABASE_URL: database.url,
      REDIS_URL: testServiceUrls.redis,
      AMQP_URL: testServiceUrls.amqp,
      NAMESPACE: uniqueName("runs"),
      DATA_DIR: dataDir,
      // A killed worker's job goes to another worker after a second, not thirty.
      QUEUE_LOCK_MS: "1000",
      RATE_LIMIT_PER_MINUTE: "100000",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    };
    api = await createGantry(loadConfig({ ...env, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "silent" }), {
      http: true,
      workers: false,
      logger: pino({ level: "silent" }),
    });
    await api.listen();
    app = {
      gantry: api,
      caller: (options = {}) =>
        createCaller(
          createContext(api.deps, {
            requestId: uniqueName("req"),
            ip: "127.0.0.1",
            transport: "internal",
            token: options.token ?? null,
          }),
        ),
      signup: () => Promise.reject(new Error("not used")),
      close: () => api.stop(),
    };
    lockClient = postgres(database.url, { max: 2, onnotice: () => {} });
    adminToken = expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken;
    const user = await app.caller().auth.signup({
      email: `runner-${uniqueName("u")}@runs.test`,
      password: "a perfectly fine passphrase",
      name: "Runner",
    });
    token = user.accessToken;

    await startWorker();
    const rows = ["k,v", ...Array.from({ length: 2000 }, (_, i) => `${["a", "b", "c"][i % 3]},${i}`)].join("\n");
    datasetId = (await importData(app, token, rows, { name: "numbers" })).dataset.id;
    pipelineId = (
      await app.caller({ token }).pipelines.create({
        name: "totals",
        datasetId,
        steps: [
          { type: "filter", column: "v", operator: "gte", value: 10 },
          { type: "aggregate", groupBy: ["k"], aggregations: [{ function: "sum", column: "v", as: "total" }] },
        ],
      })
    ).id;
  }, 90_000);

  afterAll(async () => {
    for (const child of workers) await stop(child, "SIGKILL");
    await lockClient?.end({ timeout: 5 });
    await api?.stop();
    await database?.drop().catch(() => {});
    await cleanupNamespace(env.NAMESPACE ?? "").catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("cancels a queued run: it never runs, even once a worker is there", async () => {
    for (const child of workers) await stop(child, "SIGTERM");
    const run = await app.caller({ token }).pipelines.run({ pipelineId, idempotencyKey: "queued-then-canceled" });
    expect(run.status).toBe("queued");
    const canceled = await app.caller({ token }).pipelines.cancelRun({ runId: run.id });
    expect(canceled).toMatchObject({ status: "canceled", cancelRequested: true });
    await startWorker();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await runView(run.id)).toMatchObject({ status: "canceled", attempts: 0, startedAt: null });
    expect(await outputsOf(run.id)).toHaveLength(0);
  }, 60_000);

  it("finishes a run once, with one output, when its worker is killed in the middle", async () => {
    const release = await lockInput();
    const run = await app.caller({ token }).pipelines.run({ pipelineId, idempotencyKey: "survives-a-kill" });
    await waitForStatus(run.id, "running");
    // Give the statement time to reach the lock, then kill the worker without warning.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const victim = workers.at(-1) as ChildProcess;
    await stop(victim, "SIGKILL");
    await release();
    await startWorker();
    const done = await waitForRun(app, token, run.id);
    expect(done).toMatchObject({ status: "succeeded", outputRows: 3 });
    expect(await runView(run.id)).toMatchObject({ status: "succeeded", attempts: 2 });
    const outputs = await outputsOf(run.id);
    expect(outputs).toHaveLength(1);
    expect(await app.caller({ token }).pipelines.datasets.rows({ datasetId: outputs[0]?.id ?? "" })).toMatchObject({
      total: 3,
    });
    // No table was left behind by the killed attempt: every ds_ table belongs to a data set.
    const tables = await lockClient`select count(*)::int as n from pg_tables where tablename like 'ds\\_%'`;
    const datasets = await lockClient`select count(*)::int as n from datasets where status = 'ready'`;
    expect(tables[0]?.n).toBe(datasets[0]?.n);
  }, 90_000);

  it("cancels a running run: its statement is stopped, and nothing is kept", async () => {
    const release = await lockInput();
    try {
      const run = await app.caller({ token }).pipelines.run({ pipelineId, idempotencyKey: "canceled-while-running" });
      await waitForStatus(run.id, "running");
      await new Promise((resolve) => setTimeout(resolve, 300));
      const asked = await app.caller({ token }).pipelines.cancelRun({ runId: run.id });
      expect(asked).toMatchObject({ status: "running", cancelRequested: true });
      // Canceled while the lock is still held: the waiting statement itself was canceled.
      expect(await waitForRun(app, token, run.id)).toMatchObject({ status: "canceled", outputDatasetId: null });
      expect(await outputsOf(run.id)).toHaveLength(0);
    } finally {
      await release();
    }
  }, 60_000);

  it("returns the same run for a repeated idempotency key", async () => {
    const api = app.caller({ token });
    const [first, second] = await Promise.all([
      api.pipelines.run({ pipelineId, idempotencyKey: "twice" }),
      api.pipelines.run({ pipelineId, idempotencyKey: "twice" }),
    ]);
    expect(second?.id).toBe(first?.id);
    await waitForRun(app, token, first?.id ?? "");
    expect(await outputsOf(first?.id ?? "")).toHaveLength(1);
  }, 60_000);

  it("records every import and run transition in the audit log, once", async () => {
    const audit = app.caller({ token: adminToken }).audit;
    const entries = async () => (await audit.list({ pageSize: 100 })).items;
    const killed = (await app.caller({ token }).pipelines.runs({ pipelineId, pageSize: 100 })).items.find(
      (r) => r.attempts === 2,
    );
    await expect
      .poll(
        async () =>
          (await entries())
            .filter((e) => (e.payload as { runId?: string }).runId === killed?.id)
            .map((e) => e.type)
            .sort(),
        { timeout: 20_000, interval: 200 },
      )
      .toEqual(["pipeline.run_queued", "pipeline.run_started", "pipeline.run_started", "pipeline.run_succeeded"]);
    const types = new Set((await entries()).map((e) => e.type));
    for (const type of ["dataset.imported", "pipeline.created", "pipeline.run_canceled"]) expect(types).toContain(type);
  }, 60_000);

  // Last: after a killed worker, cancellations and a repeated key, everything still adds up
  // (one output per succeeded run, none for the others; every event audited once).
  it("leaves every invariant holding", async () => {
    const invariants = await checkInvariants(database.url, { drainTimeoutMs: 20_000 });
    expect(allHold(invariants), formatInvariants(invariants)).toBe(true);
  }, 30_000);
});
