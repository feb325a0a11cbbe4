/**
 * `npm run bench`: Gantry's import and pipeline runs against the same work done by hand on
 * PostgreSQL, measured side by side in one run on a fresh database. A benchmark, not a test.
 *
 *   import: a generated CSV uploaded to Gantry (streamed to disk, then the import job infers
 *           types and COPYs it into the data set's typed table) vs. a raw `COPY` of the same
 *           file into a plain typed table.           Aim: at least 0.5x the raw rows/s.
 *   run:    a filter + group-by pipeline run as a job (one statement, output written as a new
 *           data set in one transaction) vs. the same `create table ... as select` written by
 *           hand over the plain table.                Aim: at most 1.3x the hand-written time.
 *
 * BENCH_ROWS (default 1 000 000) and BENCH_ROUNDS (default 2 imports / 3 runs) adjust it.
 */
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import { createTestApp, type TestApp } from "../src/server/testing/app.js";
import { collect } from "../src/server/testing/pipelines.js";
import type { Step } from "../src/shared/schemas/pipelines.js";
import { BENCH_COLUMNS, generateCsv } from "./generate.js";
import { formatTable, median } from "./report.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const IMPORT_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const RUN_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const STEPS: Step[] = [
  { type: "filter", column: "amount", operator: "gt", value: 250 },
  {
    type: "aggregate",
    groupBy: ["region", "category"],
    aggregations: [
      { function: "count", as: "orders" },
      { function: "sum", column: "amount", as: "revenue" },
      { function: "avg", column: "quantity", as: "avg_quantity" },
    ],
  },
];
const HAND_WRITTEN = (table: string) =>
  `create table ${table} as select region, category, count(*) as orders, sum(amount) as revenue, ` +
  `avg(quantity)::double precision as avg_quantity from bench_plain where amount > 250 group by region, category`;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "gantry-bench-"));
  const file = join(dir, "orders.csv");
  let app: TestApp | undefined;
  try {
    log(`generating ${ROWS.toLocaleString("en")} rows…`);
    await generateCsv(file, ROWS);
    const bytes = (await stat(file)).size;
    log(`starting Gantry on a fresh PostgreSQL database (services mode)…`);
    app = await createTestApp("services", { UPLOAD_MAX_BYTES: String(4 * 1024 ** 3) });
    const { deps } = app.gantry;
    if (deps.database.driver.kind !== "postgres") throw new Error("the benchmark needs PostgreSQL");
    const sql = deps.database.driver.sql;
    const version = (await sql`select current_setting('server_version') as v`)[0]?.v as string;
    const user = await app.signup();
    const actor = { id: user.userId, role: "user" as const };

    // ------------------------------------------------------------------ import
    const raw: number[] = [];
    const gantry: number[] = [];
    const jobOnly: number[] = [];
    let datasetId = "";
    for (let round = 1; round <= IMPORT_ROUNDS; round++) {
      raw.push(await rawCopy(sql, file));
      log(`round ${round}: raw COPY ${fmtMs(raw.at(-1))}`);
      const started = performance.now();
      const accepted = await deps.pipelines.datasets.receiveUpload(actor, createReadStream(file), {
        contentType: "text/csv",
        declaredBytes: bytes,
        options: { name: `bench ${round}`, skipInvalid: false, types: {}, fileName: "orders.csv" },
      });
      const final = (
        await collect(
          deps.pipelines.datasets.importProgress(actor, accepted.importId),
          (p) => p.status === "succeeded" || p.status === "failed",
          600_000,
        )
      ).at(-1);
      gantry.push(performance.now() - started);
      if (final?.status !== "succeeded") throw new Error(`import failed: ${final?.error}`);
      const record = await deps.pipelines.datasets.importById(actor, accepted.importId);
      jobOnly.push((record.finishedAt?.getTime() ?? 0) - (record.startedAt?.getTime() ?? 0));
      if (record.rowsImported !== ROWS) throw new Error(`imported ${record.rowsImported} rows, expected ${ROWS}`);
      datasetId = accepted.datasetId;
      log(`round ${round}: Gantry import ${fmtMs(gantry.at(-1))} (job ${fmtMs(jobOnly.at(-1))})`);
    }
    // The upload that feeds pipelines is the last one; drop the others' tables from the cache's way.
    await sql.unsafe("analyze bench_plain");
    const dataset = await deps.pipelines.datasets.byId(actor, datasetId);
    const table = (await sql`select table_name from datasets where id = ${datasetId}`)[0]?.table_name as string;
    await sql.unsafe(`analyze "${table}"`);

    // ------------------------------------------------------------------ pipeline run
    const pipelineView = await deps.pipelines.definitions.create(actor, { name: "bench", datasetId, steps: STEPS });
    const hand: number[] = [];
    const runs: number[] = [];
    const runJob: number[] = [];
    let outputId = "";
    for (let round = 1; round <= RUN_ROUNDS; round++) {
      const handStarted = performance.now();
      await sql.unsafe(`drop table if exists bench_hand_${round}`);
      await sql.unsafe(HAND_WRITTEN(`bench_hand_${round}`));
      hand.push(performance.now() - handStarted);
      const started = performance.now();
      const run = await deps.pipelines.runs.run(actor, {
        pipelineId: pipelineView.id,
        idempotencyKey: `bench-${round}`,
      });
      const final = (
        await collect(deps.pipelines.runs.progress(actor, run.id), (p) =>
          ["succeeded", "failed", "canceled"].includes(p.status),
        )
      ).at(-1);
      runs.push(performance.now() - started);
      if (final?.status !== "succeeded") throw new Error(`run ${final?.status}: ${final?.error}`);
      const view = await deps.pipelines.runs.byId(actor, run.id);
      runJob.push((view.finishedAt?.getTime() ?? 0) - (view.startedAt?.getTime() ?? 0));
      outputId = final.outputDatasetId ?? "";
      log(
        `round ${round}: hand-written ${fmtMs(hand.at(-1))}, Gantry run ${fmtMs(runs.at(-1))} (job ${fmtMs(runJob.at(-1))})`,
      );
    }
    await checkSameResult(sql, outputId);

    const importRatio = median(raw) / median(gantry);
    const runRatio = median(runs) / median(hand);
    const rowsPerSecond = (ms: number) => `${Math.round(ROWS / (ms / 1000)).toLocaleString("en")} rows/s`;
    process.stdout.write(
      `\nGantry benchmark: ${ROWS.toLocaleString("en")} rows, ${(bytes / 1024 ** 2).toFixed(1)} MB CSV, PostgreSQL ${version}, ` +
        `${dataset.columns.length} columns inferred as ${dataset.columns.map((c) => c.type).join("/")}\n` +
        `(medians of ${IMPORT_ROUNDS} import and ${RUN_ROUNDS} run rounds, interleaved with their baselines)\n\n`,
    );
    process.stdout.write(
      formatTable(
        ["measure", "Gantry", "baseline (same run)", "ratio", "aim", ""],
        [
          [
            "import, upload to ready",
            `${fmtMs(median(gantry))}  ${rowsPerSecond(median(gantry))}`,
            `raw COPY ${fmtMs(median(raw))}  ${rowsPerSecond(median(raw))}`,
            `${importRatio.toFixed(2)}x speed`,
            ">= 0.50x",
            importRatio >= 0.5 ? "met" : "MISSED",
          ],
          [
            "  of which the import job",
            `${fmtMs(median(jobOnly))}  ${rowsPerSecond(median(jobOnly))}`,
            "",
            `${(median(raw) / median(jobOnly)).toFixed(2)}x speed`,
            "",
            "",
          ],
          [
            "run filter + group-by, queued to done",
            fmtMs(median(runs)),
            `hand-written SQL ${fmtMs(median(hand))}`,
            `${runRatio.toFixed(2)}x time`,
            "<= 1.30x",
            runRatio <= 1.3 ? "met" : "MISSED",
          ],
          [
            "  of which the run job",
            fmtMs(median(runJob)),
            "",
            `${(median(runJob) / median(hand)).toFixed(2)}x time`,
            "",
            "",
          ],
        ],
      ),
    );
    process.stdout.write(
      `\nall rounds (ms): raw COPY ${raw.map(Math.round).join(", ")} | import ${gantry.map(Math.round).join(", ")} | ` +
        `hand SQL ${hand.map(Math.round).join(", ")} | run ${runs.map(Math.round).join(", ")}\n`,
    );
  } finally {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function rawCopy(sql: postgres.Sql, file: string): Promise<number> {
  await sql.unsafe("drop table if exists bench_plain");
  const started = performance.now();
  await sql.unsafe(`create table bench_plain (${BENCH_COLUMNS})`);
  const writable = await sql`copy bench_plain from stdin (format csv, header true)`.writable();
  await pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), writable);
  return performance.now() - started;
}

/** Gantry's output and the hand-written one must agree, or the comparison means nothing. */
async function checkSameResult(sql: postgres.Sql, outputId: string): Promise<void> {
  const table = (await sql`select table_name from datasets where id = ${outputId}`)[0]?.table_name as string;
  const ours = await sql.unsafe(
    `select region, category, orders, round(revenue::numeric, 4) as revenue from "${table}" order by 1, 2`,
  );
  const theirs = await sql.unsafe(
    "select region, category, orders, round(revenue::numeric, 4) as revenue from bench_hand_1 order by 1, 2",
  );
  if (JSON.stringify(ours) !== JSON.stringify(theirs))
    throw new Error("Gantry's run and the hand-written SQL disagree");
  log(`check: Gantry's output equals the hand-written result (${ours.length} groups)`);
}

function fmtMs(ms: number | undefined): string {
  return `${Math.round(ms ?? 0).toLocaleString("en")} ms`;
}

function log(message: string): void {
  process.stderr.write(`· ${message}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
