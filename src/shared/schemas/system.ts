import { z } from "zod";

export const dependencyStatusSchema = z.object({
  name: z.enum(["database", "cache", "events", "queue"]),
  /** Which adapter serves the port, e.g. "postgres" or "pglite". */
  adapter: z.string(),
  /** degraded: usable, but something users may notice (e.g. events delivered late). */
  status: z.enum(["up", "degraded", "down"]),
  latencyMs: z.number().nonnegative().nullable(),
  /** Requests fail while this dependency is down (readiness fails); others only degrade. */
  critical: z.boolean(),
  /** Why it is degraded or down, in a few words. */
  detail: z.string().optional(),
});
export type DependencyStatus = z.infer<typeof dependencyStatusSchema>;

export const healthSchema = z.object({
  version: z.string(),
  mode: z.enum(["embedded", "services"]),
  uptimeSeconds: z.number().nonnegative(),
  status: z.enum(["up", "degraded"]),
  dependencies: z.array(dependencyStatusSchema),
});
export type Health = z.infer<typeof healthSchema>;

export const tickSchema = z.object({ now: z.date() });
export type Tick = z.infer<typeof tickSchema>;
