import autocannon from "autocannon";
import type { BenchServer } from "./server.js";

export interface LoadTarget {
  server: BenchServer;
  path: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Gives each request's path instead of `path` (a cursor that carries on across rounds). */
  nextPath?: () => string;
}

export interface LoadResult {
  requestsPerSecond: number;
  /** The server's CPU time per answered request. */
  cpuMicrosPerRequest: number;
}

/**
 * One autocannon round against a server: throughput and the server's CPU per request. Any
 * answer other than 2xx fails the round, since a benchmark of errors measures nothing.
 */
export async function loadRound(target: LoadTarget, seconds: number, connections = 16): Promise<LoadResult> {
  const cpuBefore = await target.server.cpuMicros();
  const nextPath = target.nextPath;
  const result = await autocannon({
    url: target.server.url,
    connections,
    duration: seconds,
    pipelining: 1,
    requests: [
      {
        method: target.method ?? "GET",
        path: target.path,
        headers: target.headers,
        body: target.body,
        ...(nextPath
          ? {
              setupRequest: (request: autocannon.Request) => {
                request.path = nextPath();
                return request;
              },
            }
          : {}),
      },
    ],
  });
  const cpuAfter = await target.server.cpuMicros();
  const answered = result.requests.total;
  if (result.non2xx > 0 || result.errors > 0 || answered === 0) {
    throw new Error(
      `${target.server.name} ${target.path}: ${result.non2xx} non-2xx answers, ${result.errors} errors of ${answered}`,
    );
  }
  return { requestsPerSecond: answered / seconds, cpuMicrosPerRequest: (cpuAfter - cpuBefore) / answered };
}

/** A short unmeasured round, so JIT and caches are warm before the figures count. */
export async function warmUp(target: LoadTarget, seconds = 1, connections = 16): Promise<void> {
  await loadRound(target, seconds, connections).catch((error: unknown) => {
    // A slow call (a sign-in) may not finish within a short warm-up: only refusals count here.
    if (!(error instanceof Error && error.message.endsWith(" of 0"))) throw error;
  });
}
