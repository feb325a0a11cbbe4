import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobIdFor } from "../core/queue/job-id.js";
import { jobOutbox } from "../db/schema/jobs.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { ledgerFor, newKey, waitFor } from "../testing/payments.js";
import { collect, uploadRaw } from "../testing/pipelines.js";
import { testServiceUrls } from "../testing/services.js";
import { TcpProxy, viaProxy } from "../testing/tcp-proxy.js";
import { DomainError } from "../utils/domain-error.js";

/**
 * Redis failing under a running app, through a proxy this test owns: silent (connections stay
 * open, nothing answers) and cut (connections dropped). What a user must see: answers within
 * the deadlines, never a hang or a 500; payments accepted while Redis is away and settled once
 * it is back, exactly once.
 */
const COMMAND_TIMEOUT_MS = 300;
/** checkDependencies' per-probe deadline (core/health.ts): the slowest thing health may wait for. */
const PROBE_TIMEOUT_MS = 1500;
/**
 * The longest a call may take with Redis silent: a few Redis deadlines in a row (session copy,
 * its refill, the rate limit) or one health probe, plus room for a slow shared machine. Today's
 * code has no deadline at all: its calls never answer.
 */
const ANSWER_BOUND_MS = PROBE_TIMEOUT_MS + 4 * COMMAND_TIMEOUT_MS + 1500;

const redis = new URL(testServiceUrls.redis);

/** Resolves with what `call` gave, or fails the test saying it hung. */
async function answered<T>(call: Promise<T>, boundMs = ANSWER_BOUND_MS): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${boundMs} ms`)), boundMs);
  });
  try {
    const value = await Promise.race([call, hung]);
    return { value, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** "OK", or the typed error a client would get, with its retry hint. */
async function outcome(call: Promise<unknown>): Promise<{ code: string; retryAfterMs?: number | undefined }> {
  try {
    await call;
    return { code: "OK" };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const cause = error.cause instanceof DomainError ? error.cause : undefined;
    return { code: error.code, retryAfterMs: cause?.details.retryAfterMs };
  }
}

describe("the app while Redis is silent or down", () => {
  const proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
  let app: TestApp;

  beforeAll(async () => {
    const port = await proxy.start();
    app = await createTestApp("services", {
      REDIS_URL: viaProxy(testServiceUrls.redis, port),
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      SANDBOX_SETTLE_DELAY_MS: "50",
    });
  });
  afterAll(async () => {
    proxy.restore();
    await app?.close();
    await proxy.stop();
  });

  const inject = (url: string) => {
    if (!app.gantry.http) throw new Error("no HTTP server");
    return app.gantry.http.inject({ method: "GET", url });
  };

  it("keeps answering when Redis goes silent, and heals when it answers again", async () => {
    const { token, email, password } = await app.signup();
    let paymentId = "";
    proxy.silence();
    try {
      const healthz = await answered(inject("/healthz"));
      expect(healthz.value.statusCode).toBe(200);
      // Readiness answers in time, and says "degraded", not "not ready": requests are still
      // served (sessions from PostgreSQL, jobs wait in the outbox). Metrics still scrape.
      const readyz = await answered(inject("/readyz"));
      expect(readyz.value.statusCode).toBe(200);
      expect(readyz.value.json()).toMatchObject({ status: "degraded" });
      const metrics = await answered(inject("/metrics"));
      expect(metrics.value.statusCode).toBe(200);

      // Anonymous, through the rate limit: the status panel says what is down instead of hanging.
      const health = await answered(inject("/trpc/system.health"));
      expect(health.value.statusCode).toBe(200);
      const dependencies = (
        health.value.json() as { result: { data: { json: { dependencies: Array<{ name: string; status: string }> } } } }
      ).result.data.json.dependencies;
      expect(dependencies.find((d) => d.name === "database")?.status).toBe("up");
      expect(dependencies.find((d) => d.name === "cache")?.status).toBe("down");

      // Signed in: served from PostgreSQL, or refused with a typed "try again", never a hang or a 500.
      for (let i = 0; i < 3; i += 1) {
        const me = await answered(outcome(app.caller({ token }).auth.me()));
        if (me.value.code !== "OK") expect(me.value).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
        if (me.value.code !== "OK") expect(me.value.retryAfterMs).toBeGreaterThan(0);
      }
      const login = await answered(outcome(app.caller({ ip: "10.9.9.9" }).auth.login({ email, password })));
      expect(["OK", "SERVICE_UNAVAILABLE"]).toContain(login.value.code);

      // Work for later does not wait for Redis either: it waits in the job outbox.
      const payment = await answered(
        app
          .caller({ token })
          .payments.create({ amount: 700, currency: "USD", paymentMethod: "pm_card_visa", idempotencyKey: newKey() }),
      );
      expect(payment.value.status).toBe("processing");
      paymentId = payment.value.id;
    } finally {
      proxy.restore();
    }

    // Back: the cache and the queue answer again, and a signed-in call works.
    await waitFor(async () => {
      const response = await inject("/readyz");
      return response.statusCode === 200 && (response.json() as { status: string }).status === "ready";
    }, "every dependency to be up again");
    expect((await outcome(app.caller({ token }).auth.me())).code).toBe("OK");
    await waitFor(
      async () => (await app.caller({ token }).payments.byId({ id: paymentId })).status === "succeeded",
      "the payment made while Redis was silent to settle",
      20_000,
    );
  });

  it("accepts a payment and an upload while Redis is down, and carries both out exactly once when it is back", async () => {
    const { token } = await app.signup();
    const caller = app.caller({ token });
    proxy.cut();
    let paymentId: string;
    let importId: string;
    try {
      const created = await answered(
        caller.payments.create({
          amount: 4200,
          currency: "USD",
          paymentMethod: "pm_card_visa",
          idempotencyKey: newKey(),
        }),
      );
      expect(created.value.status).toBe("processing");
      paymentId = created.value.id;
      // Still processing while Redis is away: the settlement waits in the job outbox.
      await new Promise((resolve) => setTimeout(resolve, 4 * COMMAND_TIMEOUT_MS));
      expect((await caller.payments.byId({ id: paymentId })).status).toBe("processing");

      const upload = await answered(uploadRaw(app, token, "a,b\n1,x\n2,y\n"));
      expect(upload.value.statusCode).toBe(202);
      importId = (upload.value.json() as { importId: string }).importId;
    } finally {
      proxy.restore();
    }

    await waitFor(
      async () => (await caller.payments.byId({ id: paymentId })).status === "succeeded",
      "the payment to settle after Redis came back",
      20_000,
    );
    const db = app.gantry.deps.database.db;
    const settlementRow = async () => {
      const rows = await db.select().from(jobOutbox).where(eq(jobOutbox.name, "payments.sandbox-settle"));
      return rows.find((r) => (r.payload as { paymentId?: string }).paymentId === paymentId);
    };
    // An enqueue that gave up during the outage may land when Redis returns, before the row is
    // stamped: the row is then handed over again, which the job id turns into a no-op.
    const row = await waitFor(async () => {
      const found = await settlementRow();
      return found?.dispatchedAt ? found : undefined;
    }, "the settlement row to be stamped dispatched");
    const jobId = jobIdFor(row.name, row.jobKey);
    const job = await app.gantry.deps.queue.getJob(jobId);
    expect(job?.state).toBe("completed");
    const ledger = await ledgerFor(app, paymentId);

    // Handed over a second time (as after a crash between enqueue and stamp): still one job.
    await db.update(jobOutbox).set({ dispatchedAt: null }).where(eq(jobOutbox.id, row.id));
    await waitFor(async () => {
      const [again] = await db.select().from(jobOutbox).where(eq(jobOutbox.id, row.id));
      return again?.dispatchedAt !== null;
    }, "the row to be dispatched again");
    const after = await app.gantry.deps.queue.getJob(jobId);
    expect(after).toMatchObject({ state: "completed", createdAt: job?.createdAt, attemptsMade: job?.attemptsMade });
    expect(await ledgerFor(app, paymentId)).toEqual(ledger);
    expect((await caller.payments.byId({ id: paymentId })).status).toBe("succeeded");

    // The upload made during the outage is imported too.
    const progress = await collect(
      await caller.pipelines.datasets.onImportProgress({ importId }),
      (p) => p.status === "succeeded" || p.status === "failed",
    );
    expect(progress.at(-1)).toMatchObject({ status: "succeeded", rowsDone: 2 });
  });
});
