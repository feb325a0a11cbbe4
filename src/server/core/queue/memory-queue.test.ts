import { describe, expect, it } from "vitest";
import { MemoryJobQueue } from "./memory-queue.js";
import { type ContractJobs, describeJobQueueContract } from "./queue.contract.js";
import { waitForJobEnd } from "./wait.js";

describeJobQueueContract("in-process", () => new MemoryJobQueue<ContractJobs>({ defaultBackoffMs: 50 }));

describe("MemoryJobQueue", () => {
  const noop = { echo: async () => "ok", work: async () => "ok" };

  it("forgets the oldest finished jobs beyond its retention, and with them their keys", async () => {
    const queue = new MemoryJobQueue<ContractJobs>({ maxFinishedJobs: 2 });
    await queue.process(noop);
    const ids: string[] = [];
    for (const key of ["a", "b", "c"]) {
      const { id } = await queue.enqueue("echo", { value: key }, { idempotencyKey: key });
      await waitForJobEnd(queue, id, { timeoutMs: 1000 });
      ids.push(id);
    }
    expect(await queue.getJob(ids[0] ?? "")).toBeUndefined();
    expect((await queue.getJob(ids[2] ?? ""))?.state).toBe("completed");
    expect((await queue.enqueue("echo", { value: "a" }, { idempotencyKey: "a" })).deduplicated).toBe(false);
    await queue.close();
  });

  it("refuses a second worker and work after close", async () => {
    const queue = new MemoryJobQueue<ContractJobs>();
    await queue.process(noop);
    await expect(queue.process(noop)).rejects.toThrow(/once/);
    await queue.close();
    await expect(queue.enqueue("echo", { value: "late" })).rejects.toThrow(/closed/);
  });
});
