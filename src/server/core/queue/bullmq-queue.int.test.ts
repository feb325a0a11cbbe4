import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { testServiceUrls, uniqueName } from "../../testing/services.js";
import { StartupError } from "../../utils/startup-error.js";
import { createRedisClient } from "../redis.js";
import { builtinJobHandlers } from "./builtin-jobs.js";
import { bullmqNames, cancelFlagValue } from "./bullmq-keys.js";
import { BullmqJobQueue, type BullmqJobQueueOptions } from "./bullmq-queue.js";
import { JobCanceledError } from "./errors.js";
import { jobIdFor } from "./job-id.js";
import type { JobEvent, JobPayloads } from "./port.js";
import { type ContractJobs, deferred, describeJobQueueContract } from "./queue.contract.js";
import { waitForJobEnd } from "./wait.js";

const namespaces = new Set<string>();
const unexpected = async () => {
  throw new Error("no handler expected for this job in this test");
};

function makeQueue(options: Partial<BullmqJobQueueOptions> = {}): BullmqJobQueue<ContractJobs> {
  const namespace = options.namespace ?? uniqueName("queue");
  namespaces.add(namespace);
  return new BullmqJobQueue<ContractJobs>({
    redisUrl: testServiceUrls.redis,
    namespace,
    defaultBackoffMs: 50,
    cancelPollMs: 200,
    onError: (error, context) => console.warn(`[queue test] ${context}:`, error),
    ...options,
  });
}

const redis = createRedisClient(testServiceUrls.redis, { name: "queue-test", purpose: "queue" });

afterAll(async () => {
  for (const namespace of namespaces) {
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});

describeJobQueueContract("BullMQ", () => makeQueue());

describe("BullMQ job queue across processes", () => {
  const opened: BullmqJobQueue<ContractJobs>[] = [];
  const children: ChildProcess[] = [];
  const open = (options: Partial<BullmqJobQueueOptions>) => {
    const queue = makeQueue(options);
    opened.push(queue);
    return queue;
  };

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
    await Promise.all(opened.splice(0).map((queue) => queue.close({ timeoutMs: 200 })));
  });

  it("lets an API process enqueue, watch and cancel jobs that a separate worker runs", async () => {
    const namespace = uniqueName("queue");
    const api = open({ namespace });
    const workers = open({ namespace });
    let cancelReason: unknown;
    await workers.process({
      echo: unexpected,
      work: async (job) => {
        await job.reportProgress({ step: job.data.label });
        if (job.data.label === "forever") {
          cancelReason = await new Promise((resolve) =>
            job.signal.addEventListener("abort", () => resolve(job.signal.reason)),
          );
          job.signal.throwIfAborted();
        }
        return `${job.data.label} done`;
      },
    });

    const quick = await api.enqueue("work", { label: "quick" });
    const events: JobEvent[] = [];
    await api.watch(quick.id, (event) => events.push(event));
    expect(await waitForJobEnd(api, quick.id, { timeoutMs: 5000 })).toMatchObject({ result: "quick done" });

    const slow = await api.enqueue("work", { label: "forever" });
    await api.watch(slow.id, (event) => events.push(event));
    await expect.poll(() => events).toContainEqual({ type: "progress", progress: { step: "forever" } });
    expect(await api.cancel(slow.id)).toBe(true);
    expect(await waitForJobEnd(api, slow.id, { timeoutMs: 5000 })).toMatchObject({ state: "canceled" });
    expect(cancelReason).toBeInstanceOf(JobCanceledError);
    await expect.poll(() => events.at(-1)).toEqual({ type: "canceled" });
  });

  it("hands a job interrupted by a worker's shutdown to the next worker", async () => {
    const namespace = uniqueName("queue");
    const api = open({ namespace });
    const first = open({ namespace });
    const startedOnFirst = deferred();
    const firstWorker = await first.process({
      echo: unexpected,
      work: async (job) => {
        startedOnFirst.resolve();
        await new Promise((resolve) => job.signal.addEventListener("abort", resolve));
        throw job.signal.reason;
      },
    });
    const { id } = await api.enqueue("work", { label: "resumable" }, { attempts: 1 });
    await startedOnFirst.promise;
    await firstWorker.close({ timeoutMs: 50 });

    const second = open({ namespace });
    await second.process({ echo: unexpected, work: async (job) => `finished on attempt ${job.attempt}` });
    expect(await waitForJobEnd(api, id, { timeoutMs: 5000 })).toMatchObject({
      state: "completed",
      result: "finished on attempt 1",
    });
  });

  it("waits out a database outage longer than a job's attempts instead of failing the job", async () => {
    const api = open({});
    let runs = 0;
    await api.process({
      echo: unexpected,
      work: async (job) => {
        runs += 1;
        // The database refuses connections on the first three runs; the job allows two attempts.
        if (runs <= 3) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
        return `done on attempt ${job.attempt}`;
      },
    });
    const { id } = await api.enqueue("work", { label: "patient" }, { attempts: 2 });
    expect(await waitForJobEnd(api, id, { timeoutMs: 20_000 })).toMatchObject({
      state: "completed",
      result: "done on attempt 1",
    });
    expect(runs).toBe(4);
  });

  it("runs a job again, once, after the worker running it was killed", async () => {
    const namespace = uniqueName("queue");
    const lockDurationMs = 1000;
    const stalledIntervalMs = 300;
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(new URL("./bullmq-crash-worker.fixture.ts", import.meta.url)),
        testServiceUrls.redis,
        namespace,
        String(lockDurationMs),
        String(stalledIntervalMs),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    children.push(child);
    let output = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    await expect.poll(() => output, { timeout: 15_000 }).toContain("ready");

    const api = open({ namespace });
    const { id } = await api.enqueue("work", { label: "survivor" });
    await expect.poll(() => output, { timeout: 5000 }).toContain(`started ${id}`);
    child.kill("SIGKILL");
    await once(child, "exit");
    const killedAt = Date.now();

    const runs: number[] = [];
    const rescuer = open({ namespace, lockDurationMs, stalledIntervalMs });
    await rescuer.process({
      echo: unexpected,
      work: async (job) => {
        runs.push(Date.now());
        return `rescued on attempt ${job.attempt}`;
      },
    });
    const done = await waitForJobEnd(api, id, { timeoutMs: 10_000 });

    expect(done).toMatchObject({ state: "completed", result: "rescued on attempt 1" });
    expect(runs).toHaveLength(1);
    // Not before the dead worker's lock ran out: the two runs never overlap.
    expect((runs[0] ?? 0) - killedAt).toBeGreaterThanOrEqual(0);
    expect(output.match(/started/g)).toHaveLength(1);
  });

  it("reaches a running job through the cancel flag when the pub/sub message is lost", async () => {
    const namespace = uniqueName("queue");
    const queue = open({ namespace, cancelPollMs: 100 });
    const started = deferred();
    let reason: unknown;
    await queue.process({
      echo: unexpected,
      work: async (job) => {
        started.resolve();
        reason = await new Promise((resolve) => job.signal.addEventListener("abort", () => resolve(job.signal.reason)));
        job.signal.throwIfAborted();
      },
    });
    const { id } = await queue.enqueue("work", { label: "deaf" });
    await started.promise;
    const createdAt = (await queue.getJob(id))?.createdAt.getTime() ?? 0;
    // What cancel() writes, minus the message.
    await redis.set(bullmqNames(namespace, "jobs").cancelFlag(id), cancelFlagValue(createdAt));

    expect(await waitForJobEnd(queue, id, { timeoutMs: 5000 })).toMatchObject({ state: "canceled" });
    expect(reason).toBeInstanceOf(JobCanceledError);
  });

  it("ignores a cancel flag left by an evicted job that had the same id", async () => {
    const namespace = uniqueName("queue");
    const queue = open({ namespace });
    await redis.set(bullmqNames(namespace, "jobs").cancelFlag(jobIdFor("echo", "reused")), cancelFlagValue(1));
    await queue.process({ echo: async () => "ran", work: unexpected });
    const { id } = await queue.enqueue("echo", { value: "x" }, { idempotencyKey: "reused" });
    expect(await waitForJobEnd(queue, id, { timeoutMs: 5000 })).toMatchObject({ state: "completed", result: "ran" });
  });

  it("answers the built-in ping job and connects before use", async () => {
    const namespace = uniqueName("queue");
    namespaces.add(namespace);
    const queue = new BullmqJobQueue<Pick<JobPayloads, "queue.ping">>({ redisUrl: testServiceUrls.redis, namespace });
    try {
      await queue.connect();
      await queue.process(builtinJobHandlers);
      const { id } = await queue.enqueue("queue.ping", { message: "hello" });
      expect(await waitForJobEnd(queue, id, { timeoutMs: 5000 })).toMatchObject({
        result: { pong: "hello", attempt: 1 },
        progress: 100,
      });
    } finally {
      await queue.close();
    }
  });

  it("fails connect() with one line naming REDIS_URL when Redis is unreachable", async () => {
    const queue = new BullmqJobQueue({ redisUrl: "redis://127.0.0.1:1", namespace: uniqueName("queue") });
    await expect(queue.connect()).rejects.toThrow(StartupError);
    await expect(queue.connect()).rejects.toThrow(/^REDIS_URL: cannot reach Redis/);
    await queue.close();
  });

  it("keeps a cron schedule in Redis as a delayed job", async () => {
    const queue = open({});
    await queue.schedule("nightly", { cron: "0 3 * * *" }, { name: "echo", data: { value: "report" } });
    expect(await queue.counts()).toMatchObject({ delayed: 1, waiting: 0 });
    expect(await queue.unschedule("nightly")).toBe(true);
    expect(await queue.counts()).toMatchObject({ delayed: 0 });
  });
});
