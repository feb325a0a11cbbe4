import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JobCanceledError, JobInterruptedError, UnrecoverableJobError } from "./errors.js";
import type { JobEvent, JobHandlers, JobQueue } from "./port.js";
import { waitForJobEnd } from "./wait.js";

/** Jobs the contract enqueues; every test supplies the handlers it needs. */
export interface ContractJobs {
  echo: { value: string; at?: Date };
  work: { label: string };
}

export type ContractQueue = JobQueue<ContractJobs>;

const unexpected = async () => {
  throw new Error("no handler expected for this job in this test");
};

function handlers(partial: Partial<JobHandlers<ContractJobs>>): JobHandlers<ContractJobs> {
  return { echo: unexpected, work: unexpected, ...partial };
}

export function deferred<T = void>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Resolves when the signal aborts, with its reason; for handlers that run "until stopped". */
function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener("abort", () => resolve(signal.reason), { once: true });
  });
}

/**
 * The behaviour every JobQueue adapter must have. `makeQueue` returns a fresh, empty queue
 * for each test; the suite closes it.
 */
export function describeJobQueueContract(adapter: string, makeQueue: () => ContractQueue): void {
  describe(`JobQueue contract: ${adapter}`, () => {
    let queue: ContractQueue;

    beforeEach(() => {
      queue = makeQueue();
    });

    afterEach(async () => {
      await queue.close({ timeoutMs: 500 });
    });

    it("runs a job and lets the producer see its result", async () => {
      await queue.process(handlers({ echo: async (job) => ({ echoed: job.data.value, attempt: job.attempt }) }));
      const at = new Date("2030-01-02T03:04:05.000Z");
      const { id, deduplicated } = await queue.enqueue("echo", { value: "hello", at });
      expect(deduplicated).toBe(false);

      const done = await waitForJobEnd(queue, id, { timeoutMs: 5000 });
      expect(done).toMatchObject({ id, name: "echo", state: "completed", result: { echoed: "hello", attempt: 1 } });
      expect(done.attemptsMade).toBe(1);
      expect(done.finishedAt).toBeInstanceOf(Date);
      // Payloads are JSON: a Date comes back as its ISO string, in both adapters.
      expect(done.data).toEqual({ value: "hello", at: at.toISOString() });
    });

    it("turns the same idempotency key into one job that runs once", async () => {
      const first = await queue.enqueue("echo", { value: "a" }, { idempotencyKey: "order:42" });
      const second = await queue.enqueue("echo", { value: "b" }, { idempotencyKey: "order:42" });
      expect(first.deduplicated).toBe(false);
      expect(second).toEqual({ id: first.id, deduplicated: true });

      const runs: string[] = [];
      await queue.process(
        handlers({
          echo: async (job) => {
            runs.push(job.data.value);
          },
        }),
      );
      await waitForJobEnd(queue, first.id, { timeoutMs: 5000 });
      // Still the same job after it finished: a late retry of the request does not run it again.
      expect(await queue.enqueue("echo", { value: "c" }, { idempotencyKey: "order:42" })).toEqual(second);
      await sleep(200);
      expect(runs).toEqual(["a"]);
      expect((await queue.getJob(first.id))?.data).toEqual({ value: "a" });
    });

    it("retries a failing handler with growing backoff until it succeeds", async () => {
      const startedAt: number[] = [];
      await queue.process(
        handlers({
          work: async (job) => {
            startedAt.push(Date.now());
            if (job.attempt < 3) throw new Error(`flaky ${job.attempt}`);
            return "third time lucky";
          },
        }),
      );
      const { id } = await queue.enqueue("work", { label: "flaky" }, { attempts: 3, backoffMs: 100 });
      const done = await waitForJobEnd(queue, id, { timeoutMs: 5000 });

      expect(done).toMatchObject({ state: "completed", result: "third time lucky", attemptsMade: 3, maxAttempts: 3 });
      expect(startedAt).toHaveLength(3);
      const [a = 0, b = 0, c = 0] = startedAt;
      expect(b - a).toBeGreaterThanOrEqual(90);
      expect(c - b).toBeGreaterThanOrEqual(190);
    });

    it("fails a job for good after its last attempt", async () => {
      let runs = 0;
      await queue.process(
        handlers({
          work: async () => {
            runs++;
            throw new Error("the bank said no");
          },
        }),
      );
      const { id } = await queue.enqueue("work", { label: "doomed" }, { attempts: 2, backoffMs: 20 });
      const done = await waitForJobEnd(queue, id, { timeoutMs: 5000 });

      expect(done).toMatchObject({ state: "failed", failedReason: "the bank said no", attemptsMade: 2 });
      expect(runs).toBe(2);
    });

    it("does not retry an UnrecoverableJobError", async () => {
      let runs = 0;
      await queue.process(
        handlers({
          work: async () => {
            runs++;
            throw new UnrecoverableJobError("payload is nonsense");
          },
        }),
      );
      const { id } = await queue.enqueue("work", { label: "bad" }, { attempts: 5, backoffMs: 20 });
      const done = await waitForJobEnd(queue, id, { timeoutMs: 5000 });

      expect(done).toMatchObject({ state: "failed", failedReason: "payload is nonsense" });
      await sleep(100);
      expect(runs).toBe(1);
    });

    it("shows reported progress to a watcher and in the snapshot", async () => {
      const { id } = await queue.enqueue("work", { label: "import" });
      const events: JobEvent[] = [];
      const stop = await queue.watch(id, (event) => events.push(event));
      await queue.process(
        handlers({
          work: async (job) => {
            await job.reportProgress(25);
            await job.reportProgress(50);
            await job.reportProgress({ step: "load", done: 3, total: 3 });
            return "imported";
          },
        }),
      );

      const done = await waitForJobEnd(queue, id, { timeoutMs: 5000 });
      expect(done.progress).toEqual({ step: "load", done: 3, total: 3 });
      await expect.poll(() => events.at(-1)).toEqual({ type: "completed", result: "imported" });
      expect(events).toEqual([
        { type: "active" },
        { type: "progress", progress: 25 },
        { type: "progress", progress: 50 },
        { type: "progress", progress: { step: "load", done: 3, total: 3 } },
        { type: "completed", result: "imported" },
      ]);
      stop();
    });

    it("never runs a job canceled while it waits, and says so", async () => {
      const { id } = await queue.enqueue("work", { label: "unwanted" });
      const { id: delayedId } = await queue.enqueue("work", { label: "unwanted later" }, { delayMs: 60_000 });
      const events: JobEvent[] = [];
      await queue.watch(id, (event) => events.push(event));

      expect(await queue.cancel(id)).toBe(true);
      expect(await queue.cancel(delayedId)).toBe(true);
      expect(await queue.getJob(id)).toMatchObject({ state: "canceled", cancelRequested: true });
      expect(await queue.getJob(delayedId)).toMatchObject({ state: "canceled" });
      await expect.poll(() => events).toContainEqual({ type: "canceled" });
      expect(await queue.cancel(id)).toBe(false);
      expect(await queue.cancel("no-such-job")).toBe(false);

      const ran: string[] = [];
      await queue.process(
        handlers({
          work: async (job) => {
            ran.push(job.data.label);
          },
        }),
      );
      const after = await queue.enqueue("work", { label: "wanted" });
      await waitForJobEnd(queue, after.id, { timeoutMs: 5000 });
      expect((await waitForJobEnd(queue, id, { timeoutMs: 5000 })).state).toBe("canceled");
      expect((await waitForJobEnd(queue, delayedId, { timeoutMs: 5000 })).state).toBe("canceled");
      expect(ran).toEqual(["wanted"]);
    });

    it("aborts a running job's signal on cancel and ends it canceled, without retries", async () => {
      const started = deferred();
      let reason: unknown;
      let runs = 0;
      await queue.process(
        handlers({
          work: async (job) => {
            runs++;
            started.resolve();
            reason = await aborted(job.signal);
            job.signal.throwIfAborted();
          },
        }),
      );
      const { id } = await queue.enqueue("work", { label: "long" }, { attempts: 3, backoffMs: 10 });
      await started.promise;
      expect(await queue.getJob(id)).toMatchObject({ state: "active", cancelRequested: false });

      expect(await queue.cancel(id)).toBe(true);
      const done = await waitForJobEnd(queue, id, { timeoutMs: 5000 });
      expect(done).toMatchObject({ state: "canceled", cancelRequested: true });
      expect(reason).toBeInstanceOf(JobCanceledError);
      await sleep(100);
      expect(runs).toBe(1);
      expect(await queue.cancel(id)).toBe(false);
    });

    it("closes gracefully: waits for the running job to finish", async () => {
      const started = deferred();
      let finished = false;
      const worker = await queue.process(
        handlers({
          work: async () => {
            started.resolve();
            await sleep(300);
            finished = true;
            return "finished";
          },
        }),
      );
      const { id } = await queue.enqueue("work", { label: "in flight" });
      const next = await queue.enqueue("work", { label: "not started" });
      await started.promise;

      await worker.close({ timeoutMs: 5000 });
      expect(finished).toBe(true);
      expect(await queue.getJob(id)).toMatchObject({ state: "completed", result: "finished" });
      // A closed worker takes nothing new.
      expect((await queue.getJob(next.id))?.state).toBe("waiting");
    });

    it("interrupts a job still running when the close timeout passes and puts it back", async () => {
      const started = deferred();
      let reason: unknown;
      const worker = await queue.process(
        handlers({
          work: async (job) => {
            started.resolve();
            reason = await aborted(job.signal);
            throw new Error("stopped halfway");
          },
        }),
      );
      const { id } = await queue.enqueue("work", { label: "too long" }, { attempts: 1 });
      await started.promise;

      await worker.close({ timeoutMs: 100 });
      expect(reason).toBeInstanceOf(JobInterruptedError);
      // Back in the queue for the next worker, with its attempt not used up.
      expect(await queue.getJob(id)).toMatchObject({ state: "waiting", attemptsMade: 0 });
    });

    it("runs a delayed job only after its delay", async () => {
      let ranAt = 0;
      await queue.process(
        handlers({
          echo: async () => {
            ranAt = Date.now();
          },
        }),
      );
      const enqueuedAt = Date.now();
      const { id } = await queue.enqueue("echo", { value: "later" }, { delayMs: 400 });
      expect((await queue.getJob(id))?.state).toBe("delayed");

      expect((await waitForJobEnd(queue, id, { timeoutMs: 5000 })).state).toBe("completed");
      expect(ranAt - enqueuedAt).toBeGreaterThanOrEqual(390);
    });

    it("runs at most `concurrency` jobs at once", async () => {
      let now = 0;
      let peak = 0;
      await queue.process(
        handlers({
          work: async () => {
            peak = Math.max(peak, ++now);
            await sleep(150);
            now--;
          },
        }),
        { concurrency: 2 },
      );
      const ids = await Promise.all(["a", "b", "c", "d"].map((label) => queue.enqueue("work", { label })));
      for (const { id } of ids) await waitForJobEnd(queue, id, { timeoutMs: 5000 });
      expect(peak).toBe(2);
    });

    it("counts jobs by state", async () => {
      await queue.enqueue("echo", { value: "1" });
      await queue.enqueue("echo", { value: "2" });
      await queue.enqueue("echo", { value: "3" }, { delayMs: 60_000 });
      expect(await queue.counts()).toEqual({ waiting: 2, delayed: 1, active: 0, completed: 0, failed: 0 });
    });

    it("repeats a scheduled job until it is unscheduled", async () => {
      const values: string[] = [];
      await queue.process(
        handlers({
          echo: async (job) => {
            values.push(job.data.value);
          },
        }),
      );
      await queue.schedule("heartbeat", { everyMs: 200 }, { name: "echo", data: { value: "tick" } });
      // Upserting the same id replaces the schedule instead of adding a second one.
      await queue.schedule("heartbeat", { everyMs: 200 }, { name: "echo", data: { value: "tock" } });
      await expect.poll(() => values.length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);

      expect(await queue.unschedule("heartbeat")).toBe(true);
      const soon = values.length;
      await sleep(600);
      expect(values.length).toBeLessThanOrEqual(soon + 1);
      // A run already produced from the replaced template may still happen once (BullMQ creates
      // the first job at upsert time); after that only the new template runs.
      expect(values.filter((v) => v === "tick").length).toBeLessThanOrEqual(1);
      expect(values.slice(values.indexOf("tock")).every((v) => v === "tock")).toBe(true);
      expect(values).toContain("tock");
      expect(await queue.unschedule("heartbeat")).toBe(false);
    });

    it("rejects a malformed cron expression", async () => {
      await expect(
        queue.schedule("bad", { cron: "61 * * * *" }, { name: "echo", data: { value: "x" } }),
      ).rejects.toThrow(/minute/);
      await expect(queue.schedule("bad", { everyMs: 0 }, { name: "echo", data: { value: "x" } })).rejects.toThrow();
    });
  });
}
