import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { deferred } from "../../testing/cache.js";
import { Cache } from "./cached.js";
import { exercise, makePlansService, PlansService } from "./decorator.fixture.js";
import { cached } from "./decorator.js";
import { MemoryCacheStore } from "./memory-store.js";

/** Declared here too, so this test file itself goes through the decorator transform. */
class SlowService {
  calls = 0;
  readonly label = "slow";

  constructor(
    readonly cache: Cache,
    private readonly gate: Promise<void>,
  ) {}

  @cached({ name: "slow.load", ttlMs: 60_000 })
  async load(id: string): Promise<string> {
    this.calls += 1;
    await this.gate;
    return `loaded:${id} by ${this.label}`;
  }
}

const expected = { prices: [1999, 1999, 2499], reads: 2, dateSurvives: true };

describe("@cached", () => {
  it("caches a service method, and a mutation's invalidation shows the new value", async () => {
    expect(await exercise(makePlansService())).toEqual(expected);
  });

  it("computes a cold key once for concurrent calls, with `this` bound to the instance", async () => {
    const gate = deferred<void>();
    const service = new SlowService(new Cache(new MemoryCacheStore()), gate.promise);
    const calls = Array.from({ length: 50 }, () => service.load("a"));
    gate.resolve();
    expect(await Promise.all(calls)).toEqual(Array(50).fill("loaded:a by slow"));
    expect(service.calls).toBe(1);
  });

  it("keeps instances apart only through their Cache: each app wires its own", async () => {
    const a = makePlansService();
    const b = makePlansService();
    await a.byId("gold");
    await b.byId("gold");
    expect([a.reads.length, b.reads.length]).toEqual([1, 1]);
  });

  it("fails clearly when the instance has no Cache", async () => {
    const service = new PlansService(undefined as unknown as Cache, new Map());
    await expect(service.byId("gold")).rejects.toThrow(/this\.cache` is not a Cache/);
  });

  it("runs under tsx (esbuild), the way production runs it", async () => {
    const fixture = fileURLToPath(new URL("./decorator.fixture.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", fixture], {
      timeout: 30_000,
    });
    expect(JSON.parse(stdout)).toEqual(expected);
  });
});
