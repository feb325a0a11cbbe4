import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";

/**
 * Servers run on core 0 and the load generator (this process) on core 1, so a server's
 * figures are not shared with the client hammering it. Without taskset or a second core the
 * bench still runs, unpinned, and says so in its header.
 */
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

export const pinning: boolean = existsSync("/usr/bin/taskset") && availableParallelism() >= 2;

/** The command prefix that starts a process on `core` (empty when pinning is unavailable). */
export function pinnedTo(core: number): string[] {
  return pinning ? ["taskset", "-c", String(core)] : [];
}

/** Moves this process (every thread) onto the load generator's core. */
export function pinSelfToLoadCore(): void {
  if (pinning) execFileSync("taskset", ["-a", "-cp", String(LOAD_CORE), String(process.pid)], { stdio: "ignore" });
}
