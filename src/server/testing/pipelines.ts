import type { LightMyRequestResponse } from "fastify";
import { pino } from "pino";
import type { CellValue, DatasetView, ImportProgress, RunProgress } from "../../shared/schemas/pipelines.js";
import { createPipelines, type PipelinesModule } from "../services/pipelines/module.js";
import type { PreviewBounds } from "../services/pipelines/pipelines-service.js";
import type { TestApp } from "./app.js";

/**
 * A second pipelines module on the test app's database and adapters, for a test that runs jobs
 * itself or needs other preview bounds than the app's.
 */
export function secondPipelinesModule(app: TestApp, preview?: Partial<PreviewBounds>): PipelinesModule {
  const { deps } = app.gantry;
  return createPipelines({
    config: deps.config,
    db: deps.database.db,
    bulk: deps.bulk,
    exports: deps.exports,
    events: deps.events,
    queue: deps.queue,
    logger: pino({ level: "silent" }),
    ...(preview ? { preview } : {}),
  });
}

/** Helpers for pipeline tests: uploads over HTTP as a browser would send them, and waiting on jobs. */

export interface UploadOptions {
  name?: string;
  contentType?: string;
  query?: Record<string, string>;
}

export async function uploadRaw(
  app: TestApp,
  token: string | null,
  body: string | Buffer,
  options: UploadOptions = {},
): Promise<LightMyRequestResponse> {
  const http = app.gantry.http;
  if (!http) throw new Error("the test app has no HTTP server");
  const query = new URLSearchParams({ name: options.name ?? "test data", ...options.query });
  return http.inject({
    method: "POST",
    url: `/api/datasets?${query}`,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      "content-type": options.contentType ?? "text/csv",
    },
    payload: body,
  });
}

/** Uploads and waits for the import to finish; returns the final progress and the data set. */
export async function importData(
  app: TestApp,
  token: string,
  body: string | Buffer,
  options: UploadOptions = {},
): Promise<{ progress: ImportProgress[]; final: ImportProgress; dataset: DatasetView }> {
  const response = await uploadRaw(app, token, body, options);
  if (response.statusCode !== 202) throw new Error(`upload refused: ${response.statusCode} ${response.body}`);
  const { importId, datasetId } = response.json() as { importId: string; datasetId: string };
  const progress = await collect(
    await app.caller({ token }).pipelines.datasets.onImportProgress({ importId }),
    (p) => p.status === "succeeded" || p.status === "failed",
  );
  const final = progress[progress.length - 1] as ImportProgress;
  const dataset = await app.caller({ token }).pipelines.datasets.byId({ id: datasetId });
  return { progress, final, dataset };
}

/** Reads a subscription until `done` says so (or it ends), failing after `timeoutMs`. */
export async function collect<T>(
  stream: AsyncIterable<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T[]> {
  const values: T[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`subscription did not finish in ${timeoutMs} ms: ${JSON.stringify(values.at(-1))}`);
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        iterator.next(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`subscription timed out after ${timeoutMs} ms`)), left);
        }),
      ]).finally(() => clearTimeout(timer));
      if (next.done) return values;
      values.push(next.value);
      if (done(next.value)) return values;
    }
  } finally {
    await iterator.return?.();
  }
}

export async function waitForRun(app: TestApp, token: string, runId: string): Promise<RunProgress> {
  const updates = await collect(await app.caller({ token }).pipelines.onRunProgress({ runId }), (p) =>
    ["succeeded", "failed", "canceled"].includes(p.status),
  );
  return updates[updates.length - 1] as RunProgress;
}

/** All rows of a data set as plain objects, in row order. */
export async function allRows(
  app: TestApp,
  token: string,
  datasetId: string,
): Promise<Array<Record<string, CellValue>>> {
  const page = await app.caller({ token }).pipelines.datasets.rows({ datasetId, pageSize: 500 });
  return page.items.map((row) => row.values);
}
