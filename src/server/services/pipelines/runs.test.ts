import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobCanceledError } from "../../core/queue/errors.js";
import type { JobContext } from "../../core/queue/port.js";
import { PipelineRunsRepository } from "../../repositories/pipeline-runs.js";
import { createTestApp, type TestApp } from "../../testing/app.js";
import { collect, importData, waitForRun } from "../../testing/pipelines.js";
import { createPipelines } from "./module.js";

/** Runs on the embedded adapters (PGlite, in-process queue). Kills and real cancels: runs.int.test.ts. */
describe("pipeline runs (embedded)", () => {
  let app: TestApp;
  let token: string;
  let userId: string;
  let datasetId: string;
  let pipelineId: string;

  beforeAll(async () => {
    app = await createTestApp("embedded");
    ({ token, userId } = await app.signup());
    datasetId = (await importData(app, token, "k,v\na,1\nb,2\na,3\n")).dataset.id;
    pipelineId = (
      await app.caller({ token }).pipelines.create({
        name: "sums",
        datasetId,
        steps: [{ type: "aggregate", groupBy: ["k"], aggregations: [{ function: "sum", column: "v", as: "total" }] }],
      })
    ).id;
  });
  afterAll(async () => {
    await app?.close();
  });

  const outputsOf = async (runId: string) =>
    (await app.caller({ token }).pipelines.datasets.list({ pageSize: 100 })).items.filter(
      (d) => d.sourceRunId === runId,
    );

  it("returns the same run for a repeated idempotency key, and makes one output", async () => {
    const api = app.caller({ token });
    const first = await api.pipelines.run({ pipelineId, idempotencyKey: "same" });
    const again = await api.pipelines.run({ pipelineId, idempotencyKey: "same" });
    expect(again.id).toBe(first.id);
    const progress = await collect(
      await api.pipelines.onRunProgress({ runId: first.id }),
      (p) => p.status === "succeeded",
    );
    expect(progress.at(-1)).toMatchObject({
      status: "succeeded",
      percent: 100,
      rowsDone: 3,
      rowsTotal: 3,
      outputRows: 2,
    });
    const after = await api.pipelines.run({ pipelineId, idempotencyKey: "same" });
    expect(after).toMatchObject({ id: first.id, status: "succeeded" });
    expect(await outputsOf(first.id)).toHaveLength(1);
    const other = await api.pipelines.run({ pipelineId, idempotencyKey: "different" });
    expect(other.id).not.toBe(first.id);
    await waitForRun(app, token, other.id);
    const runs = await api.pipelines.runs({ pipelineId });
    expect(runs.items.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
  });

  it("stops a run whose cancel arrives while it is running, keeping no output", async () => {
    // A second module on the same database, so the run is executed here with a job we control;
    // the cancel lands right after the run has started (PGlite cannot interrupt a statement,
    // so the transaction is rolled back instead of committed).
    const { deps } = app.gantry;
    const module = createPipelines({
      config: deps.config,
      handle: deps.database,
      events: deps.events,
      queue: deps.queue,
      logger: pino({ level: "silent" }),
    });
    const runs = new PipelineRunsRepository();
    const pipeline = await deps.pipelines.definitions.byId({ userId, role: "user" }, pipelineId);
    const run = await runs.insert(deps.database.db, {
      pipelineId,
      ownerId: userId,
      idempotencyKey: "controlled",
      trigger: "manual",
      status: "queued",
      steps: pipeline.steps,
      inputDatasetId: datasetId,
    });
    const controller = new AbortController();
    let canceled = false;
    const job: JobContext<{ runId: string }> = {
      id: "controlled",
      name: "pipeline.run",
      data: { runId: run.id },
      attempt: 1,
      signal: controller.signal,
      reportProgress: async () => {
        if (canceled) return;
        canceled = true;
        expect((await deps.pipelines.runs.cancel({ userId, role: "user" }, run.id)).status).toBe("running");
        controller.abort(new JobCanceledError("controlled"));
      },
    };
    await expect(module.executor.handle(job)).rejects.toThrow();
    expect(await app.caller({ token }).pipelines.runById({ runId: run.id })).toMatchObject({
      status: "canceled",
      cancelRequested: true,
      outputDatasetId: null,
    });
    expect(await outputsOf(run.id)).toHaveLength(0);
  });

  it("refuses to cancel a finished run", async () => {
    const api = app.caller({ token });
    const run = await api.pipelines.run({ pipelineId, idempotencyKey: "finished" });
    await waitForRun(app, token, run.id);
    await expect(api.pipelines.cancelRun({ runId: run.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("schedules with cron, queues one run per firing, and unschedules", async () => {
    const api = app.caller({ token });
    await expect(api.pipelines.schedule({ pipelineId, cron: "every minute" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect((await api.pipelines.schedule({ pipelineId, cron: "*/5 * * * *" })).schedule).toBe("*/5 * * * *");
    // What the scheduler's job does when it fires (retries of one firing share its id).
    const fired = await app.gantry.deps.pipelines.runs.runScheduled(pipelineId, "firing-1");
    const retried = await app.gantry.deps.pipelines.runs.runScheduled(pipelineId, "firing-1");
    expect(retried?.id).toBe(fired?.id);
    expect(fired?.trigger).toBe("schedule");
    expect(await waitForRun(app, token, fired?.id ?? "")).toMatchObject({ status: "succeeded" });
    expect((await api.pipelines.schedule({ pipelineId, cron: null })).schedule).toBeNull();
    expect(await app.gantry.deps.pipelines.runs.runScheduled(pipelineId, "firing-2")).toBeUndefined();
  });

  it("will not delete a data set a pipeline uses, nor a pipeline with a run in progress", async () => {
    const api = app.caller({ token });
    await expect(api.pipelines.datasets.delete({ id: datasetId })).rejects.toMatchObject({ code: "CONFLICT" });
    const fresh = await importData(app, token, "x\n1\n");
    const temporary = await api.pipelines.create({ name: "temp", datasetId: fresh.dataset.id, steps: [] });
    await api.pipelines.delete({ id: temporary.id });
    await api.pipelines.datasets.delete({ id: fresh.dataset.id });
    await expect(api.pipelines.datasets.byId({ id: fresh.dataset.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
