import type { DependencyStatus } from "../../shared/schemas/system.js";
import { TimeoutError, withTimeout } from "../utils/startup-error.js";

/** One outside dependency the app can check: which port it serves and how to ping it. */
export interface DependencyProbe {
  name: DependencyStatus["name"];
  adapter: string;
  /**
   * Requests fail while this one is down (the database): readiness fails. The others only
   * degrade the service (events wait in the outbox, the cache is skipped), so they never make
   * a load balancer take the instance out.
   */
  critical?: boolean;
  /** Rejects when down; resolves with a reason when usable but degraded. */
  ping(): Promise<undefined | { degraded: string }>;
}

/** /readyz, the Status page and the metrics scrape may all ask at once: one probe per second is plenty. */
const CACHE_MS = 1000;
const cache = new WeakMap<DependencyProbe[], { at: number; result: Promise<DependencyStatus[]> }>();

/**
 * Pings every dependency in parallel; a slow one counts as down after `timeoutMs`. Results are
 * shared for about a second per probe list, so health checks cost the dependencies almost nothing.
 */
export function checkDependencies(probes: DependencyProbe[], timeoutMs = 1500): Promise<DependencyStatus[]> {
  const cached = cache.get(probes);
  if (cached && performance.now() - cached.at < CACHE_MS) return cached.result;
  const result = Promise.all(probes.map((probe) => checkOne(probe, timeoutMs)));
  cache.set(probes, { at: performance.now(), result });
  return result;
}

/** Ready means requests can be served: no critical dependency is down. */
export function isReady(probes: DependencyProbe[], statuses: DependencyStatus[]): boolean {
  const critical = new Set(probes.filter((probe) => probe.critical).map((probe) => probe.name));
  return statuses.every((status) => !critical.has(status.name) || status.status !== "down");
}

async function checkOne(probe: DependencyProbe, timeoutMs: number): Promise<DependencyStatus> {
  const started = performance.now();
  const base = { name: probe.name, adapter: probe.adapter, critical: probe.critical ?? false };
  try {
    const outcome = await withTimeout(probe.ping(), timeoutMs, `${probe.name} ping`);
    const latencyMs = Math.round(performance.now() - started);
    if (outcome?.degraded) return { ...base, status: "degraded", latencyMs, detail: outcome.degraded };
    return { ...base, status: "up", latencyMs };
  } catch (error) {
    // Health is public: a driver's own words (hosts, addresses, user names) are not for everyone.
    const detail = error instanceof TimeoutError ? `no answer within ${timeoutMs} ms` : "unreachable";
    return { ...base, status: "down", latencyMs: null, detail };
  }
}
