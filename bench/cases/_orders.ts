import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import { createTestApp, type TestApp } from "../../src/server/testing/app.js";
import { collect } from "../../src/server/testing/pipelines.js";
import { BENCH_COLUMNS, generateCsv } from "../generate.js";
import { log } from "../harness/rounds.js";

/** Shared by the import and pipeline-run cases: a generated orders CSV and Gantry (services mode) in-process. */
export const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

export interface OrdersBench {
  file: string;
  bytes: number;
  app: TestApp;
  sql: postgres.Sql;
  actor: { id: string; role: "user" };
  close(): Promise<void>;
}

export async function startOrdersBench(): Promise<OrdersBench> {
  const dir = await mkdtemp(join(tmpdir(), "gantry-bench-"));
  const file = join(dir, "orders.csv");
  log(`generating ${ROWS.toLocaleString("en")} rows…`);
  await generateCsv(file, ROWS);
  const bytes = (await stat(file)).size;
  log("starting Gantry on a fresh PostgreSQL database (services mode)…");
  const app = await createTestApp("services", { UPLOAD_MAX_BYTES: String(4 * 1024 ** 3) });
  const driver = app.gantry.deps.database.driver;
  if (driver.kind !== "postgres") throw new Error("the benchmark needs PostgreSQL");
  const user = await app.signup();
  return {
    file,
    bytes,
    app,
    sql: driver.sql,
    actor: { id: user.userId, role: "user" },
    async close() {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The baseline: a raw `COPY` of the same file into a plain typed table. */
export async function rawCopy(sql: postgres.Sql, file: string): Promise<number> {
  await sql.unsafe("drop table if exists bench_plain");
  const started = performance.now();
  await sql.unsafe(`create table bench_plain (${BENCH_COLUMNS})`);
  const writable = await sql`copy bench_plain from stdin (format csv, header true)`.writable();
  await pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), writable);
  return performance.now() - started;
}

/** Uploads the file through Gantry and waits for the import job; the time and the job's share. */
export async function gantryImport(
  bench: OrdersBench,
  name: string,
): Promise<{ ms: number; jobMs: number; datasetId: string }> {
  const { deps } = bench.app.gantry;
  const started = performance.now();
  const accepted = await deps.pipelines.datasets.receiveUpload(bench.actor, createReadStream(bench.file), {
    contentType: "text/csv",
    declaredBytes: bench.bytes,
    options: { name, skipInvalid: false, types: {}, fileName: "orders.csv" },
  });
  const final = (
    await collect(
      deps.pipelines.datasets.importProgress(bench.actor, accepted.importId),
      (p) => p.status === "succeeded" || p.status === "failed",
      600_000,
    )
  ).at(-1);
  const ms = performance.now() - started;
  if (final?.status !== "succeeded") throw new Error(`import failed: ${final?.error}`);
  const record = await deps.pipelines.datasets.importById(bench.actor, accepted.importId);
  if (record.rowsImported !== ROWS) throw new Error(`imported ${record.rowsImported} rows, expected ${ROWS}`);
  const jobMs = (record.finishedAt?.getTime() ?? 0) - (record.startedAt?.getTime() ?? 0);
  return { ms, jobMs, datasetId: accepted.datasetId };
}

export function rowsPerSecond(ms: number): string {
  return `${Math.round(ROWS / (ms / 1000)).toLocaleString("en")} rows/s`;
}
