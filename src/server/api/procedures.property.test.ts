import { afterAll, beforeAll, describe, it } from "vitest";
import { createFuzzWorld, type FuzzWorld } from "../testing/fuzz-seed.js";
import { fuzzProcedure, fuzzTargets } from "../testing/procedure-fuzz.js";

/**
 * Every procedure, as anonymous, a user and an admin, over HTTP on the embedded adapters, with
 * inputs generated from its own zod schema and hostile values mixed in: none may answer 500.
 * PROPERTY_RUNS raises the count locally; PROPERTY_SEED replays a failure.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 5);
const SEED = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined;
const roles = ["anonymous", "user", "admin"];

describe("every procedure refuses bad input without a server error (embedded)", () => {
  let world: FuzzWorld;
  beforeAll(async () => {
    world = await createFuzzWorld("embedded");
  }, 60_000);
  afterAll(async () => {
    await world?.app.close();
  });

  describe.each(roles)("as %s", (role) => {
    // Anonymous calls to the rest stop at UNAUTHORIZED before their input is read.
    const targets = fuzzTargets().filter((target) => role !== "anonymous" || target.access === "public");
    it.each(targets.map((target) => [target.path, target] as const))("%s", async (_path, target) => {
      const token = world.callers.find(([name]) => name === role)?.[1] ?? null;
      await fuzzProcedure(world.app, target, token, {
        numRuns: RUNS,
        knownIds: world.knownIds,
        ...(SEED !== undefined ? { seed: SEED } : {}),
      });
    });
  });
});
