import type { DependencyStatus } from "../../shared/schemas/system.js";
import { withTimeout } from "./startup-error.js";

/** One outside dependency the app can check: which port it serves and how to ping it. */
export interface DependencyProbe {
  name: DependencyStatus["name"];
  adapter: string;
  ping(): Promise<void>;
}

/** Pings every dependency in parallel; a slow one counts as down after `timeoutMs`. */
export async function checkDependencies(probes: DependencyProbe[], timeoutMs = 1500): Promise<DependencyStatus[]> {
  return Promise.all(
    probes.map(async (probe): Promise<DependencyStatus> => {
      const started = performance.now();
      try {
        await withTimeout(probe.ping(), timeoutMs, `${probe.name} ping`);
        return {
          name: probe.name,
          adapter: probe.adapter,
          status: "up",
          latencyMs: Math.round(performance.now() - started),
        };
      } catch {
        return { name: probe.name, adapter: probe.adapter, status: "down", latencyMs: null };
      }
    }),
  );
}
