/**
 * Cold start: the time from spawning `node dist/server/main.js` (embedded mode, an existing
 * data directory) until /healthz answers, against a bare Fastify server with one route
 * (bench/baselines/fastify-hello.mjs) spawned the same way. Rounds alternate Gantry and the
 * baseline; each figure is the median. The data directory is created by one unmeasured start
 * first, so the rounds measure a restart, not the first run's migrations (reported apart).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { BenchCase, BenchRow } from "../case.js";
import { median } from "../report.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const GANTRY = "dist/server/main.js";
const BASELINE = "bench/baselines/fastify-hello.mjs";
/** "About a second" on a machine where the bare server takes about 0.2 s. */
const AIM = 5;
const GIVE_UP_MS = 180_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  return exited;
}

/** Milliseconds from spawn until /healthz answers 200. */
async function timeStart(entry: string, dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [entry], {
    cwd: repo,
    env: { PATH: process.env.PATH, HOST: "127.0.0.1", PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
  try {
    while (!(await answers(`http://127.0.0.1:${port}/healthz`))) {
      if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode} before answering`);
      if (performance.now() - started > GIVE_UP_MS) throw new Error(`${entry} did not answer /healthz in time`);
      await sleep(5);
    }
    return performance.now() - started;
  } finally {
    await stop(child);
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const coldStart: BenchCase = {
  name: "cold-start",
  quick: true,
  async run({ quick }): Promise<BenchRow[]> {
    // The build npm start would do, so the figure is for the current sources.
    const built = spawnSync(process.execPath, ["scripts/build.mjs", "--stale", "--server-only"], {
      cwd: repo,
      stdio: "inherit",
    });
    if (built.status !== 0) throw new Error("the server build failed");

    const dataDir = await mkdtemp(join(tmpdir(), "gantry-bench-start-"));
    try {
      const firstRun = await timeStart(GANTRY, dataDir);
      const rounds = quick ? 3 : 7;
      const gantry: number[] = [];
      const baseline: number[] = [];
      for (let round = 0; round < rounds; round++) {
        gantry.push(await timeStart(GANTRY, dataDir));
        baseline.push(await timeStart(BASELINE, dataDir));
      }
      const ratio = median(gantry) / median(baseline);
      return [
        {
          what: `cold start to /healthz, embedded, existing data (median of ${rounds})`,
          gantry: seconds(median(gantry)),
          baseline: seconds(median(baseline)),
          ratio,
          aim: `≤ ${AIM}×`,
          met: ratio <= AIM,
        },
        {
          what: "first start on an empty data directory (creates the database; informational)",
          gantry: seconds(firstRun),
          baseline: seconds(median(baseline)),
          ratio: firstRun / median(baseline),
          aim: "",
          met: undefined,
        },
      ];
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};

export default coldStart;
