import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client.js";
import { jobOutbox } from "../../db/schema/jobs.js";
import { createTestPglite } from "../../testing/services.js";
import { testLogger, waitFor } from "../events/test-support.js";
import { JobDispatcher } from "./job-dispatcher.js";
import { addJob, JobOutbox } from "./job-outbox.js";
import { MemoryJobQueue } from "./memory-queue.js";
import type { EnqueueOptions, EnqueueResult, JobName, JobPayloads } from "./port.js";

/** The in-process queue behind a switch, to play a Redis that goes away and comes back. */
class SwitchableQueue extends MemoryJobQueue {
  down = false;
  calls = 0;
  override async enqueue<N extends JobName>(
    name: N,
    data: JobPayloads[N],
    options?: EnqueueOptions,
  ): Promise<EnqueueResult> {
    this.calls += 1;
    if (this.down) throw new Error("redis unreachable");
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

  const start = async (pollIntervalMs = 60_000) => {
    queue = new SwitchableQueue();
    dispatcher = new JobDispatcher(handle, queue, testLogger, {
      pollIntervalMs,
      backoffInitialMs: 20,
      backoffMaxMs: 50,
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
});
