import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

/**
 * Gantry entry points as real processes (`npm start`'s src/server/main.ts, `npm run worker`'s
 * src/server/worker.ts), for fault tests and the soak: a process can be killed with SIGKILL,
 * and its memory is its own. Output is kept for failure messages.
 */
export interface GantryProcess {
  name: string;
  child: ChildProcess;
  output(): string;
  exit: Promise<number | null>;
  /** Sends `signal` and waits for the exit; nothing if it already exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Resident set size in bytes, read from /proc (undefined once exited or off Linux). */
  rss(): Promise<number | undefined>;
}

const MAX_OUTPUT = 200_000;

export function startProcess(name: string, entry: string, env: Record<string, string>): GantryProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    // A long soak must not grow the parent's memory without bound: keep the tail.
    output = (output + chunk.toString()).slice(-MAX_OUTPUT);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    name,
    child,
    output: () => output,
    exit,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill(signal);
      await exited;
    },
    async rss() {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return undefined;
      const { readFile } = await import("node:fs/promises");
      const status = await readFile(`/proc/${child.pid}/status`, "utf8").catch(() => "");
      const kb = status.match(/^VmRSS:\s+(\d+) kB/m)?.[1];
      return kb ? Number(kb) * 1024 : undefined;
    },
  };
}

/** An API process (no workers) on `port`, ready once /readyz answers 200. */
export async function startApi(name: string, port: number, env: Record<string, string>): Promise<GantryProcess> {
  const api = startProcess(name, "src/server/main.ts", {
    ...env,
    HOST: "127.0.0.1",
    PORT: String(port),
    RUN_WORKERS: "false",
  });
  await waitUntil(
    async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok === true,
    api,
    `${name} to be ready`,
  );
  return api;
}

/** A worker process, ready once it logs that its workers run. */
export async function startWorker(name: string, env: Record<string, string>): Promise<GantryProcess> {
  const worker = startProcess(name, "src/server/worker.ts", { ...env, LOG_LEVEL: "info" });
  await waitUntil(async () => worker.output().includes("Gantry workers are running"), worker, `${name} to start`);
  return worker;
}

async function waitUntil(ready: () => Promise<boolean>, proc: GantryProcess, what: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (proc.child.exitCode !== null)
      throw new Error(`${proc.name} exited while waiting for ${what}:\n${proc.output()}`);
    if (Date.now() > deadline) {
      await proc.stop("SIGKILL");
      throw new Error(`timed out waiting for ${what}:\n${proc.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** A port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

export interface TrpcAnswer<T = unknown> {
  /** HTTP status; 0 when no answer came in time (or the connection failed). */
  status: number;
  /** The tRPC error code, or "OK". */
  code: string;
  data: T | undefined;
  ms: number;
}

/**
 * tRPC over plain HTTP, as a browser's client sends it (superjson `{ json }` envelopes): the
 * status and timing of every call are visible, which the soak needs and a typed client hides.
 */
export function trpcHttp(baseUrl: string, timeoutMs = 15_000) {
  async function call<T>(
    kind: "query" | "mutation",
    path: string,
    input: unknown,
    token?: string | null,
  ): Promise<TrpcAnswer<T>> {
    const started = performance.now();
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    try {
      const response = await fetch(`${baseUrl}/trpc/${path}${kind === "query" ? query : ""}`, {
        method: kind === "query" ? "GET" : "POST",
        headers: kind === "query" ? headers : { ...headers, "content-type": "application/json" },
        ...(kind === "mutation" ? { body: JSON.stringify({ json: input ?? null }) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = (await response.json().catch(() => null)) as {
        result?: { data?: { json?: T } };
        error?: { json?: { data?: { code?: string } } };
      } | null;
      const code = response.ok ? "OK" : (body?.error?.json?.data?.code ?? `HTTP_${response.status}`);
      return { status: response.status, code, data: body?.result?.data?.json, ms: performance.now() - started };
    } catch (error) {
      return unanswered(error, started);
    }
  }
  return {
    query: <T>(path: string, input?: unknown, token?: string | null) => call<T>("query", path, input, token),
    mutation: <T>(path: string, input?: unknown, token?: string | null) => call<T>("mutation", path, input, token),
    /** A data set upload (CSV body), as the browser's upload form sends it. */
    async upload(
      name: string,
      csv: string,
      token: string,
    ): Promise<TrpcAnswer<{ importId: string; datasetId: string }>> {
      const started = performance.now();
      try {
        const response = await fetch(`${baseUrl}/api/datasets?${new URLSearchParams({ name })}`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
          body: csv,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = (await response.json().catch(() => null)) as { importId: string; datasetId: string } | null;
        const code = response.status === 202 ? "OK" : `HTTP_${response.status}`;
        return { status: response.status, code, data: body ?? undefined, ms: performance.now() - started };
      } catch (error) {
        return unanswered(error, started);
      }
    },
  };
}

export type TrpcHttp = ReturnType<typeof trpcHttp>;

/** A call that got no HTTP answer: it ran out of time, or the connection failed. */
function unanswered(error: unknown, started: number): TrpcAnswer<never> {
  const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
  return {
    status: 0,
    code: timedOut ? "NO_ANSWER" : "CONNECTION_FAILED",
    data: undefined,
    ms: performance.now() - started,
  };
}
