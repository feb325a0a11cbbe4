import { setTimeout as sleep } from "node:timers/promises";
import type { Health, Tick } from "../../shared/schemas/system.js";
import { checkDependencies } from "../core/health.js";
import { router } from "../trpc/init.js";
import { publicProcedure } from "../trpc/procedures.js";

export const systemRouter = router({
  /** Version, mode and the status of each dependency: what the status panel shows. */
  health: publicProcedure.query(async ({ ctx }): Promise<Health> => {
    const dependencies = await checkDependencies(ctx.deps.probes);
    return {
      version: ctx.deps.config.version,
      mode: ctx.deps.config.mode,
      uptimeSeconds: Math.round(process.uptime()),
      status: dependencies.every((d) => d.status === "up") ? "up" : "degraded",
      dependencies,
    };
  }),

  /**
   * The server's clock once a second: proves the live (WebSocket) channel works end to end. The
   * one subscription without `whileAllowed`: it is public and about no one, so there is nothing
   * to check again.
   */
  onTick: publicProcedure.subscription(async function* ({ signal }): AsyncGenerator<Tick> {
    while (!signal?.aborted) {
      yield { now: new Date() };
      try {
        await sleep(1000, undefined, { signal });
      } catch {
        return;
      }
    }
  }),
});
