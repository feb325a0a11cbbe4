import { afterAll, beforeAll, describe, it } from "vitest";
import { createFuzzWorld, type FuzzWorld } from "../testing/fuzz-seed.js";
import { fuzzProcedure, fuzzTargets } from "../testing/procedure-fuzz.js";

/**
 * The procedures property test (procedures.property.test.ts) on PostgreSQL, Redis and RabbitMQ,
 * whose PostgreSQL is stricter than PGlite in places; fewer generated runs, same sweep.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 2);

describe("every procedure refuses bad input without a server error (PostgreSQL)", () => {
  let world: FuzzWorld;
  beforeAll(async () => {
    world = await createFuzzWorld("services");
  }, 60_000);
  afterAll(async () => {
    await world?.app.close();
  });

  it.each(fuzzTargets().map((target) => [target.path, target] as const))("%s as admin", async (_path, target) => {
    const admin = world.callers.find(([name]) => name === "admin")?.[1] ?? null;
    await fuzzProcedure(world.app, target, admin, { numRuns: RUNS, knownIds: world.knownIds });
  });
});
