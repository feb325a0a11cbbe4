import { and, eq, isNull } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "../../db/client.js";
import { jobOutbox } from "../../db/schema/jobs.js";
import { sleep, testLogger, waitFor } from "../../testing/events.js";
import { createTestPglite } from "../../testing/services.js";
import { JobDispatcher, type JobDispatcherOptions } from "./job-dispatcher.js";
import { addJob, JobOutbox } from "./job-outbox.js";
import { MemoryJobQueue } from "./memory-queue.js";
import type { EnqueueOptions, EnqueueResult, JobName, JobPayloads } from "./port.js";

/** The in-process queue behind a switch, to play a Redis that goes away and comes back. */
class SwitchableQueue extends MemoryJobQueue {
  down = false;
  /** Enqueues never settle: a wedged connection. */
  hung = false;
  /** Jobs of this name are refused (a payload the queue will never take), others go through. */
  refuse: string | undefined;
  calls = 0;
  override async enqueue<N extends JobName>(
    name: N,
    data: JobPayloads[N],
    options?: EnqueueOptions,
  ): Promise<EnqueueResult> {
    this.calls += 1;
    if (this.hung) return new Promise<never>(() => {});
    if (this.down) throw new Error("redis unreachable");
    if (name === this.refuse) throw new Error(`refused ${name}`);
    return super.enqueue(name, data, options);
  }
}

describe("job outbox dispatcher (PGlite, in-process queue)", () => {
  let handle: DatabaseHandle;
  let queue: SwitchableQueue;
  let dispatcher: JobDispatcher | undefined;

  beforeAll(async () => {
    handle = await createTestPglite();
  });
  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
    await queue?.close();
  });
  afterAll(async () => {
    await handle?.close();
  });

  const start = async (pollIntervalMs = 60_000, options: Partial<JobDispatcherOptions> = {}) => {
    queue = new SwitchableQueue();
    dispatcher = new JobDispatcher(handle, queue, testLogger, {
      pollIntervalMs,
      backoffInitialMs: 20,
      backoffMaxMs: 50,
      ...options,
    });
    await dispatcher.start();
  };
  const row = async (jobKey: string) =>
    (await handle.db.select().from(jobOutbox).where(eq(jobOutbox.jobKey, jobKey)))[0];

  it("hands a job to the queue once its transaction commits, and never one whose transaction rolled back", async () => {
    // A poll this slow would fail the test: only the commit notification can deliver in time.
    await start();
    const id = await handle.db.transaction((tx) =>
      addJob(tx, "queue.ping", { message: "kept" }, { idempotencyKey: "kept" }),
    );
    await handle.db
      .transaction(async (tx) => {
        await addJob(tx, "queue.ping", { message: "dropped" }, { idempotencyKey: "dropped" });
        throw new Error("the state change failed");
      })
      .catch(() => {});
    await waitFor(async () => (await queue.getJob(id)) !== undefined, "the committed job to reach the queue");
    expect(await queue.getJob(id)).toMatchObject({ name: "queue.ping", data: { message: "kept" }, state: "waiting" });
    expect(await row("dropped")).toBeUndefined();
    expect(await dispatcher?.backlog()).toBe(0);
  });

  it("keeps jobs while the queue is unreachable and hands them over, once each, when it is back", async () => {
    await start(50);
    queue.down = true;
    const outbox = new JobOutbox(handle.db);
    const first = await outbox.enqueue("queue.ping", { message: "during outage" }, { idempotencyKey: "outage" });
    await waitFor(async () => ((await row("outage"))?.attempts ?? 0) >= 2, "failed hand-overs to be recorded");
    expect(await row("outage")).toMatchObject({ dispatchedAt: null, lastError: "redis unreachable" });
    expect(await queue.getJob(first.id)).toBeUndefined();

    queue.down = false;
    await waitFor(async () => (await row("outage"))?.dispatchedAt !== null, "the job to be handed over");
    const job = await queue.getJob(first.id);
    expect(job).toMatchObject({ state: "waiting", data: { message: "during outage" } });

    // Handed over again (a crash between enqueue and stamp): the job id makes it a no-op.
    const calls = queue.calls;
    await handle.db.update(jobOutbox).set({ dispatchedAt: null }).where(eq(jobOutbox.jobKey, "outage"));
    await waitFor(
      async () => queue.calls > calls && (await row("outage"))?.dispatchedAt !== null,
      "a second hand-over",
    );
    expect((await queue.counts()).waiting).toBe(1);
    expect((await queue.getJob(first.id))?.createdAt).toEqual(job?.createdAt);
  });

  it("keeps a delay counted from the commit, not from the hand-over", async () => {
    await start(50);
    queue.down = true;
    const { id } = await new JobOutbox(handle.db).enqueue(
      "queue.ping",
      { message: "later" },
      { idempotencyKey: "later", delayMs: 60_000 },
    );
    await waitFor(async () => ((await row("later"))?.attempts ?? 0) >= 1, "a failed hand-over");
    queue.down = false;
    await waitFor(async () => (await row("later"))?.dispatchedAt !== null, "the job to be handed over");
    expect((await queue.getJob(id))?.state).toBe("delayed");
  });

  it("keeps one pending row however often the same job is added", async () => {
    const outbox = new JobOutbox(handle.db);
    const ids = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      ids.add((await outbox.enqueue("queue.ping", { message: `call ${i}` }, { idempotencyKey: "repeated" })).id);
    }
    const pending = () =>
      handle.db
        .select()
        .from(jobOutbox)
        .where(and(eq(jobOutbox.jobKey, "repeated"), isNull(jobOutbox.dispatchedAt)));
    expect(ids.size).toBe(1);
    expect(await pending()).toHaveLength(1);
    expect((await pending())[0]?.payload).toEqual({ message: "call 0" });

    // Once handed over, the queue's job id dedupes; a later add may write a new row again.
    await start(50);
    await waitFor(async () => (await pending()).length === 0, "the row to be handed over");
    await outbox.enqueue("queue.ping", { message: "after" }, { idempotencyKey: "repeated" });
    await waitFor(async () => (await pending()).length === 0, "the second row to be handed over");
    expect((await queue.counts()).waiting).toBe(1);
  });

  it("parks a row the queue keeps refusing, once, and the rows behind it still go through", async () => {
    const errors = vi.spyOn(testLogger, "error");
    const outbox = new JobOutbox(handle.db);
    const refused = "test.refused" as JobName;
    // The bad row first and alone: while it fails, the dispatcher backs off and probes.
    await outbox.enqueue(refused, { message: "bad" } as never, { idempotencyKey: "bad" });
    await start(20, { parkAfterAttempts: 3 });
    queue.refuse = refused;
    await waitFor(async () => ((await row("bad"))?.attempts ?? 0) >= 2, "the bad row to fail");
    // Alone, it might be an outage: it stops one short of parking.
    await sleep(200);
    expect((await row("bad"))?.attempts).toBe(2);

    const later = await Promise.all(
      ["good-1", "good-2", "good-3"].map((key) =>
        outbox.enqueue("queue.ping", { message: key }, { idempotencyKey: key }),
      ),
    );
    for (const { id } of later) {
      await waitFor(
        async () => (await queue.getJob(id)) !== undefined,
        "the rows behind the bad one to be handed over",
      );
    }
    await waitFor(async () => (await dispatcher?.parked()) === 1, "the bad row to be parked");
    expect(await row("bad")).toMatchObject({ dispatchedAt: null, attempts: 3, lastError: `refused ${refused}` });

    // Parked: skipped from now on (no more tries), still visible in the backlog, logged once.
    const calls = queue.calls;
    const { id } = await outbox.enqueue("queue.ping", { message: "after" }, { idempotencyKey: "good-4" });
    await waitFor(async () => (await queue.getJob(id)) !== undefined, "a row added after the parking");
    await sleep(100);
    expect(queue.calls).toBe(calls + 1);
    expect((await row("bad"))?.attempts).toBe(3);
    expect(await dispatcher?.backlog()).toBe(1);
    expect(errors.mock.calls.filter(([, message]) => String(message).includes("parked"))).toHaveLength(1);
    errors.mockRestore();
    await handle.db.delete(jobOutbox).where(eq(jobOutbox.jobKey, "bad"));
  });

  it("abandons a round that hangs, carries on when the queue answers again, and stops in bounded time", async () => {
    await start(20, { roundTimeoutMs: 100 });
    queue.hung = true;
    const { id } = await new JobOutbox(handle.db).enqueue(
      "queue.ping",
      { message: "wedged" },
      { idempotencyKey: "wedged" },
    );
    await waitFor(() => queue.calls >= 2, "a second round after the first one hung");
    queue.hung = false;
    await waitFor(async () => (await queue.getJob(id)) !== undefined, "the job to be handed over");

    queue.hung = true;
    await new JobOutbox(handle.db).enqueue("queue.ping", { message: "wedged again" }, { idempotencyKey: "wedged-2" });
    const calls = queue.calls;
    await waitFor(() => queue.calls > calls, "a round to hang");
    const began = Date.now();
    await dispatcher?.stop();
    expect(Date.now() - began).toBeLessThan(1000);
    dispatcher = undefined;
  });
});
