/**
 * `npm run soak`: Gantry as deployed (API and worker processes, services mode, a fresh database
 * and namespace), each shared service reached through a TCP proxy this script owns, under a
 * constant arrival rate of mixed calls for a while, with one cut of PostgreSQL, Redis and
 * RabbitMQ each at spread-out times. Prints latency percentiles, errors by status (inside or
 * outside a fault window), calls left without an answer for 15 s, each process's memory at start
 * and end, and the invariants. Exits 1 on a 5xx outside the fault windows, an unanswered call, a
 * process that died, or a broken invariant. Not part of `npm test`.
 *
 *   npm run soak -- --duration 10m --rate 30 [--apis 2] [--workers 2] [--cut 20s] [--grace 5s]
 *                   [--users 20] [--max-in-flight 200] [--faults postgres,redis,rabbitmq]
 * (or SOAK_DURATION, SOAK_RATE, ...). Everything runs against 127.0.0.1 only.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startCluster } from "../src/server/testing/cluster.js";
import {
  allHold,
  checkInvariants,
  checkRevoked,
  formatInvariants,
  httpSessionProbe,
} from "../src/server/testing/invariants.js";
import type { GantryProcess } from "../src/server/testing/processes.js";
import { testServiceUrls } from "../src/server/testing/services.js";
import { TcpProxy, viaProxy } from "../src/server/testing/tcp-proxy.js";
import { type LoadState, pickOperation, setUp } from "./soak-load.js";
import { type FaultWindow, judge, mb, type Sample } from "./soak-report.js";

const { values: flags } = parseArgs({
  options: {
    duration: { type: "string", default: process.env.SOAK_DURATION ?? "10m" },
    rate: { type: "string", default: process.env.SOAK_RATE ?? "30" },
    apis: { type: "string", default: process.env.SOAK_APIS ?? "2" },
    workers: { type: "string", default: process.env.SOAK_WORKERS ?? "2" },
    cut: { type: "string", default: process.env.SOAK_CUT ?? "20s" },
    faults: { type: "string", default: process.env.SOAK_FAULTS ?? "postgres,redis,rabbitmq" },
    grace: { type: "string", default: process.env.SOAK_GRACE ?? "5s" },
    users: { type: "string", default: process.env.SOAK_USERS ?? "20" },
    "max-in-flight": { type: "string", default: process.env.SOAK_MAX_IN_FLIGHT ?? "200" },
  },
});

/** "90s", "10m", "1h" or plain milliseconds. */
function ms(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? "ms") as "ms" | "s" | "m" | "h"];
  return Number(match[1]) * unit;
}

const DURATION = ms(flags.duration);
const RATE = Number(flags.rate);
// Each cut fits the run: at most a sixth of it, so three cuts leave time between them.
const CUT = Math.min(ms(flags.cut), DURATION / 6);
const GRACE = ms(flags.grace);
const MAX_IN_FLIGHT = Number(flags["max-in-flight"]);
if (!(RATE > 0 && RATE <= 500 && DURATION > 0 && DURATION <= 3 * 3_600_000)) {
  throw new Error("--rate must be in (0, 500] per second and --duration at most 3h");
}
const log = (...lines: string[]) => process.stdout.write(`${(lines.length > 0 ? lines : [""]).join("\n")}\n`);
const elapsed = (since: number) => performance.now() - since;

async function main(): Promise<number> {
  const hostPort = (url: string) => {
    const u = new URL(url);
    return [u.hostname, Number(u.port)] as const;
  };
  const proxies = {
    postgres: new TcpProxy(...hostPort(testServiceUrls.postgresAdmin)),
    redis: new TcpProxy(...hostPort(testServiceUrls.redis)),
    rabbitmq: new TcpProxy(...hostPort(testServiceUrls.amqp)),
  };
  const ports = {
    postgres: await proxies.postgres.start(),
    redis: await proxies.redis.start(),
    rabbitmq: await proxies.rabbitmq.start(),
  };
  log(
    `soak: ${flags.apis} API + ${flags.workers} worker processes, ${RATE}/s for ${DURATION / 1000}s, cuts of ${CUT / 1000}s`,
  );
  const cluster = await startCluster({
    apis: Number(flags.apis),
    workers: Number(flags.workers),
    services: {
      postgresAdmin: viaProxy(testServiceUrls.postgresAdmin, ports.postgres),
      redis: viaProxy(testServiceUrls.redis, ports.redis),
      amqp: viaProxy(testServiceUrls.amqp, ports.rabbitmq),
    },
    // Real timings: the soak judges the product as configured, except the sandbox's settle delay.
    env: { QUEUE_LOCK_MS: "30000", LOG_LEVEL: "warn" },
  });
  const processes: GantryProcess[] = [...cluster.apis.map((a) => a.process), ...cluster.workers];
  const timers: NodeJS.Timeout[] = [];
  try {
    const apis = cluster.apis.map((a) => a.http);
    const seeded = await setUp(apis, cluster.admin, Number(flags.users));
    const state: LoadState = { apis, ...seeded, revoked: [] };
    const rssAtStart = await Promise.all(processes.map((p) => p.rss()));

    const died: string[] = [];
    for (const p of processes) {
      // Its last words: the lines after its last JSON log line (a crash's stack), not the whole log.
      p.exit.then((code) => {
        const lines = p.output().trimEnd().split("\n");
        const last = lines.findLastIndex((line) => line.startsWith("{"));
        died.push(
          `${p.name} exited (${code}) during the soak:\n${lines
            .slice(last + 1)
            .join("\n")
            .slice(-1500)}`,
        );
      });
    }

    // One cut each, spread out: PostgreSQL at 15%, Redis at 45%, RabbitMQ at 75% of the run.
    // (--faults picks fewer, to look past a fault that is known to break everything.)
    const windows: FaultWindow[] = (["postgres", "redis", "rabbitmq"] as const)
      .map((service, i) => {
        const from = DURATION * ([0.15, 0.45, 0.75][i] ?? 0);
        return { service, from, to: from + CUT };
      })
      .filter((w) => flags.faults.split(",").includes(w.service));
    const started = performance.now();
    const at = (when: number, what: string, act: () => void) =>
      timers.push(
        setTimeout(() => {
          log(`  ${(elapsed(started) / 1000).toFixed(0)}s ${what}`);
          act();
        }, when),
      );
    for (const w of windows) {
      const proxy = proxies[w.service as keyof typeof proxies];
      at(w.from, `cut ${w.service}`, () => proxy.cut());
      at(w.to, `restore ${w.service}`, () => proxy.restore());
    }

    // Constant arrival rate: every tick launches the calls due by now, whatever the latency;
    // past the in-flight cap a call is counted as skipped rather than queued.
    const samples: Sample[] = [];
    let launched = 0;
    let inFlight = 0;
    let skipped = 0;
    // Ctrl-C ends the load early; the report, the invariants and the clean-up still run.
    let interrupted = false;
    process.once("SIGINT", () => {
      interrupted = true;
    });
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const now = elapsed(started);
        if (now >= DURATION || interrupted) {
          clearInterval(tick);
          resolve();
          return;
        }
        for (const due = Math.floor((now / 1000) * RATE); launched < due; launched += 1) {
          if (inFlight >= MAX_IN_FLIGHT) {
            skipped += 1;
            continue;
          }
          inFlight += 1;
          const op = pickOperation();
          const start = elapsed(started);
          op.run(state)
            .then((answers) => {
              const worst = answers.find((a) => a.code !== "OK") ?? answers[0];
              if (worst)
                samples.push({ op: op.name, start, end: elapsed(started), status: worst.status, code: worst.code });
            })
            .catch((error: unknown) => {
              samples.push({ op: op.name, start, end: elapsed(started), status: 0, code: `SOAK_BUG ${String(error)}` });
            })
            .finally(() => {
              inFlight -= 1;
            });
        }
      }, 5);
    });
    const progress = setInterval(() => log(`  waiting for ${inFlight} calls in flight`), 5000);
    const deadline = performance.now() + 20_000;
    while (inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    clearInterval(progress);
    const rssAtEnd = await Promise.all(processes.map((p) => p.rss()));

    log("", `calls: ${samples.length} answered, ${inFlight} still in flight, ${skipped} skipped at the in-flight cap`);
    const verdict = judge(samples, windows, GRACE);
    for (const line of verdict.lines) log(line);
    log("", "memory (RSS)          start      end");
    processes.forEach((p, i) => {
      log(`${p.name.padEnd(20)} ${mb(rssAtStart[i]).padStart(7)} ${mb(rssAtEnd[i]).padStart(8)}`);
    });

    log("", "invariants:");
    const results = await checkInvariants(cluster.databaseUrl, { drainTimeoutMs: 90_000 });
    for (const api of cluster.apis) {
      if (api.process.child.exitCode !== null || api.process.child.signalCode !== null) {
        results.push({ name: `revoked sessions refused by ${api.process.name}`, ok: false, detail: "process gone" });
        continue;
      }
      const revoked = await checkRevoked(state.revoked.slice(-100), httpSessionProbe(api.url));
      results.push({ ...revoked, name: `${revoked.name} (through ${api.process.name})` });
    }
    log(formatInvariants(results));
    const held = allHold(results);
    for (const line of died) log("", line);
    const failed =
      verdict.serverErrorsOutside > 0 || verdict.unanswered > 0 || !held || died.length > 0 || inFlight > 0;
    log("", failed ? "soak: FAILED" : "soak: passed");
    return failed ? 1 : 0;
  } finally {
    for (const timer of timers) clearTimeout(timer);
    // Each process's output (its last 200 kB), to look up what a 5xx was.
    const logs = await mkdtemp(join(tmpdir(), "gantry-soak-"));
    for (const p of processes) await writeFile(join(logs, `${p.name}.log`), p.output());
    log(`process output: ${logs}`);
    for (const proxy of Object.values(proxies)) proxy.restore();
    await cluster.close();
    for (const proxy of Object.values(proxies)) await proxy.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
