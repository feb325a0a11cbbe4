/**
 * `npm run bench:profile -- TARGET [SECONDS]`: Gantry alone on the server core, loaded with
 * one of the procedure-call targets (anonymous, signedIn, payment, hit, miss, health), its
 * CPU profiled during the load only (see harness/profile-window.mjs), then the top of the
 * profile. Where the time goes, before spending any on making it go faster.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { seed } from "./cases/procedure-call.js";
import { pinSelfToLoadCore } from "./harness/cores.js";
import { startGantry } from "./harness/gantry.js";
import { loadRound, warmUp } from "./harness/load.js";
import { log } from "./harness/rounds.js";

const [name = "anonymous", seconds = "10"] = process.argv.slice(2);
pinSelfToLoadCore();
const file = join(process.cwd(), `bench-${name}.cpuprofile`);
process.env.BENCH_NODE_FLAGS = `--import ${join(import.meta.dirname, "harness/profile-window.mjs")}`;
const gantry = await startGantry({ BENCH_PROFILE_FILE: file });
try {
  const targets = await seed(gantry, { bare: gantry.server, minimal: gantry.server, pg: gantry.server }, 200_000);
  const target = targets[name as keyof typeof targets];
  if (!target) throw new Error(`no target ${name}; pick one of ${Object.keys(targets).join(", ")}`);
  if (name !== "miss") await warmUp(target, 2);
  process.kill(gantry.server.pid, "SIGUSR2");
  const result = await loadRound(target, Number(seconds));
  process.kill(gantry.server.pid, "SIGUSR2");
  log(`${name}: ${Math.round(result.requestsPerSecond)} req/s, ${Math.round(result.cpuMicrosPerRequest)} µs CPU/req`);
  for (let waited = 0; !existsSync(file) && waited < 100; waited++) await new Promise((r) => setTimeout(r, 100));
} finally {
  await gantry.close();
}
log(`profile: ${file}`);
process.stdout.write(execFileSync("npx", ["tsx", "bench/harness/profile-top.ts", file, "30"]).toString());
process.exit(0);
