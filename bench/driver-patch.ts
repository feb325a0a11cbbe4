/**
 * `npx tsx bench/driver-patch.ts`: what the postgres.js patch (scripts/patch-postgres.mjs,
 * docs/decisions/0010-postgres-js-patch-and-relay-liveness.md) costs on database reads. The same N selects by
 * primary key, 10 at a time over a pool of 10, with the installed (patched) driver and with an
 * upstream copy made by reverting the patch in a temporary directory; rounds alternate so
 * machine noise hits both alike. BENCH_SELECTS (default 20 000) and BENCH_ROUNDS (default 5).
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type postgres from "postgres";
import { createTestPostgres } from "../src/server/testing/services.js";
import { formatTable, median } from "./report.js";

const SELECTS = Number(process.env.BENCH_SELECTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = 10;
const ROWS = 10_000;

type Postgres = typeof postgres;
type Patcher = { patchPostgres(root: string, direction: "apply" | "revert"): boolean };

async function selectsPerSecond(driver: Postgres, url: string): Promise<number> {
  const sql = driver(url, { max: CONCURRENCY, onnotice: () => {} });
  try {
    await sql`select 1`; // connect outside the timing
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < SELECTS) {
          const id = (next++ % ROWS) + 1;
          await sql`select id, name, amount from bench_reads where id = ${id}`;
        }
      }),
    );
    return SELECTS / ((performance.now() - started) / 1000);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "gantry-driver-bench-"));
  const database = await createTestPostgres();
  try {
    const upstreamRoot = join(dir, "postgres");
    await cp(join(process.cwd(), "node_modules", "postgres"), upstreamRoot, { recursive: true });
    const patcher = (await import(pathToFileURL(join(process.cwd(), "scripts", "patch-postgres.mjs")).href)) as Patcher;
    if (!patcher.patchPostgres(upstreamRoot, "revert")) throw new Error("could not revert the patch");
    const upstream = (
      (await import(pathToFileURL(join(upstreamRoot, "src", "index.js")).href)) as { default: Postgres }
    ).default;
    const patched = ((await import("postgres")) as { default: Postgres }).default;

    if (database.handle.driver.kind !== "postgres") throw new Error("the benchmark needs PostgreSQL");
    const sql = database.handle.driver.sql;
    await sql`create table bench_reads (id int primary key, name text not null, amount numeric not null)`;
    await sql`insert into bench_reads select i, 'name ' || i, i * 1.5 from generate_series(1, ${ROWS}) i`;
    await sql`analyze bench_reads`;

    const results = { upstream: [] as number[], patched: [] as number[] };
    await selectsPerSecond(patched, database.url); // warm-up: JIT, plan cache, shared buffers
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? (["upstream", "patched"] as const) : (["patched", "upstream"] as const);
      for (const name of order) {
        results[name].push(await selectsPerSecond(name === "upstream" ? upstream : patched, database.url));
      }
    }
    const up = median(results.upstream);
    const pa = median(results.patched);
    process.stdout.write(
      formatTable(
        ["driver", "selects/s (median)", "rounds"],
        [
          ["postgres.js 3.4.9 upstream", up.toFixed(0), results.upstream.map((v) => v.toFixed(0)).join(" ")],
          ["postgres.js 3.4.9 patched", pa.toFixed(0), results.patched.map((v) => v.toFixed(0)).join(" ")],
        ],
      ),
    );
    process.stdout.write(`patched / upstream: ${(pa / up).toFixed(3)}x (${SELECTS} selects by id per round)\n`);
  } finally {
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
