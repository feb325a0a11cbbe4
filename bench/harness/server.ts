import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { freePort } from "../../src/server/testing/processes.js";
import { pinnedTo, SERVER_CORE } from "./cores.js";

/** A server under measurement: its own process on the server core, its CPU time and memory readable. */
export interface BenchServer {
  name: string;
  url: string;
  pid: number;
  /** User + system CPU time the process has used so far, in microseconds. */
  cpuMicros(): Promise<number>;
  /** Resident set size in bytes. */
  rss(): Promise<number>;
  output(): string;
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Starts `node --import tsx <entry>` pinned to the server core with PORT set, and waits until
 * `readyPath` answers 2xx. Extra node flags (e.g. --cpu-prof) come from BENCH_NODE_FLAGS.
 */
export async function startServer(
  name: string,
  entry: string,
  env: Record<string, string>,
  options: { readyPath?: string; nodeFlags?: string[] } = {},
): Promise<BenchServer> {
  const port = await freePort();
  const flags = [...(options.nodeFlags ?? []), ...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? [])];
  const [command, ...args] = [...pinnedTo(SERVER_CORE), process.execPath, ...flags, "--import", "tsx", entry];
  const child: ChildProcess = spawn(command as string, args, {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      ...env,
      HOST: "127.0.0.1",
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-50_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid as number;
  const server: BenchServer = {
    name,
    url,
    pid,
    async cpuMicros() {
      // Fields 14 and 15 of /proc/PID/stat (utime, stime) in clock ticks; the name may hold spaces.
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1e6;
    },
    async rss() {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      return Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? 0) * 1024;
    },
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up:\n${output}`);
    const answer = await fetch(`${url}${options.readyPath ?? "/ready"}`).catch(() => undefined);
    if (answer?.ok) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${name} not ready after 120 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
