/**
 * A service using `@cached`, shared by decorator.test.ts (run by vitest, Oxc + esbuild plugin)
 * and run on its own under tsx, the way production runs it. Prints what it observed as JSON.
 */
import { pathToFileURL } from "node:url";
import { Cache } from "./cached.js";
import { cached } from "./decorator.js";
import { MemoryCacheStore } from "./memory-store.js";

export interface Plan {
  id: string;
  priceMinor: number;
  updatedAt: Date;
}

export class PlansService {
  readonly reads: string[] = [];

  constructor(
    readonly cache: Cache,
    private readonly rows: Map<string, Plan>,
  ) {}

  @cached({ name: "plans.byId", ttlMs: 60_000, tags: ([id]: [string]) => [`plan:${id}`] })
  async byId(id: string): Promise<Plan | undefined> {
    this.reads.push(id);
    return this.rows.get(id);
  }

  async reprice(id: string, priceMinor: number): Promise<void> {
    const plan = this.rows.get(id);
    if (plan) this.rows.set(id, { ...plan, priceMinor, updatedAt: new Date() });
    await this.cache.invalidate(`plan:${id}`);
  }
}

export function makePlansService(): PlansService {
  const rows = new Map([["gold", { id: "gold", priceMinor: 1999, updatedAt: new Date("2024-01-01T00:00:00Z") }]]);
  return new PlansService(new Cache(new MemoryCacheStore()), rows);
}

export async function exercise(service: PlansService) {
  const first = await service.byId("gold");
  const second = await service.byId("gold");
  await service.reprice("gold", 2499);
  const afterReprice = await service.byId("gold");
  return {
    prices: [first?.priceMinor, second?.priceMinor, afterReprice?.priceMinor],
    reads: service.reads.length,
    dateSurvives: second?.updatedAt instanceof Date,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await exercise(makePlansService())));
}
