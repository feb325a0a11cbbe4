import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobCanceledError } from "../../core/queue/errors.js";
import type { JobContext } from "../../core/queue/port.js";
import { queryRows } from "../../db/database.js";
import { PipelineRunsRepository } from "../../repositories/pipeline-runs.js";
import { createTestApp, type TestApp } from "../../testing/app.js";
import { collect, importData, secondPipelinesModule, waitForRun } from "../../testing/pipelines.js";
import { expectSignedIn } from "../../testing/sign-in.js";
import { endRun } from "./end-run.js";
import { scheduleIdFor } from "./job-names.js";

const ADMIN = { email: "admin@runs-embedded.test", password: "admin passphrase for embedded runs" };

/** Runs on the embedded adapters (PGlite, in-process queue). Kills and real cancels: runs.int.test.ts. */
describe("pipeline runs (embedded)", () => {
  let app: TestApp;
  let token: string;
  let userId: string;
  let datasetId: string;
  let pipelineId: string;

  beforeAll(async () => {
    app = await createTestApp("embedded", { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
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
    const module = secondPipelinesModule(app);
    const runs = new PipelineRunsRepository();
    const pipeline = await deps.pipelines.definitions.byId({ id: userId, role: "user" }, pipelineId);
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
        expect((await deps.pipelines.runs.cancel({ id: userId, role: "user" }, run.id)).status).toBe("running");
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
    expect((await api.pipelines.schedule({ pipelineId, cron: "*/30 * * * *" })).schedule).toBe("*/30 * * * *");
    // What the scheduler's job does when it fires (retries of one firing share its id).
    const fired = await app.gantry.deps.pipelines.runs.runScheduled(pipelineId, "firing-1");
    const retried = await app.gantry.deps.pipelines.runs.runScheduled(pipelineId, "firing-1");
    expect(retried?.id).toBe(fired?.id);
    expect(fired?.trigger).toBe("schedule");
    expect(await waitForRun(app, token, fired?.id ?? "")).toMatchObject({ status: "succeeded" });
    expect((await api.pipelines.schedule({ pipelineId, cron: null })).schedule).toBeNull();
    expect(await app.gantry.deps.pipelines.runs.runScheduled(pipelineId, "firing-2")).toBeUndefined();
  });

  it("skips and unschedules scheduled runs of an owner who was disabled or may no longer run pipelines", async () => {
    const admin = app.caller({ token: expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken });
    const { runs } = app.gantry.deps.pipelines;
    for (const change of ["disabled", "made a guest"] as const) {
      const owner = await app.signup();
      const api = app.caller({ token: owner.token });
      const input = (await importData(app, owner.token, "x\n1\n")).dataset.id;
      const pipeline = await api.pipelines.create({ name: `nightly (${change})`, datasetId: input, steps: [] });
      await api.pipelines.schedule({ pipelineId: pipeline.id, cron: "0 3 * * *" });
      if (change === "disabled") await admin.users.setDisabled({ userId: owner.userId, disabled: true });
      else await admin.users.setRole({ userId: owner.userId, role: "guest" });

      expect(await runs.runScheduled(pipeline.id, `firing-${change}`)).toBeUndefined();
      expect((await admin.pipelines.runs({ pipelineId: pipeline.id })).total).toBe(0);
      expect((await admin.pipelines.byId({ id: pipeline.id })).schedule).toBeNull();
      // The queue's schedule is gone too: removing it again finds nothing.
      expect(await app.gantry.deps.queue.unschedule(scheduleIdFor(pipeline.id))).toBe(false);
    }
  });

  it("ends run and import progress streams once the caller's session has ended", async () => {
    const viewer = await app.signup();
    const api = app.caller({ token: viewer.token });
    const { final } = await importData(app, viewer.token, "k\na\n");
    const pipeline = await api.pipelines.create({ name: "watched", datasetId: final.datasetId, steps: [] });
    const run = await api.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: "watched" });
    await waitForRun(app, viewer.token, run.id);

    const runStream = await api.pipelines.onRunProgress({ runId: run.id });
    const importStream = await api.pipelines.datasets.onImportProgress({ importId: final.importId });
    await api.auth.logout();
    await expect(collect(runStream, () => true)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(collect(importStream, () => true)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("stops showing an admin another user's run progress once they are no longer an admin", async () => {
    const login = expectSignedIn(await app.caller().auth.login(ADMIN));
    const promoted = await app.signup();
    const admin = app.caller({ token: login.accessToken });
    await admin.users.setRole({ userId: promoted.userId, role: "admin" });
    const run = await app.caller({ token }).pipelines.run({ pipelineId, idempotencyKey: "watched by an admin" });
    await waitForRun(app, token, run.id);
    const stream = await app.caller({ token: promoted.token }).pipelines.onRunProgress({ runId: run.id });
    await admin.users.setRole({ userId: promoted.userId, role: "user" });
    await expect(collect(stream, () => true)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("ends a run once: a second ending changes nothing and publishes nothing", async () => {
    const { deps } = app.gantry;
    const repository = new PipelineRunsRepository();
    const pipeline = await deps.pipelines.definitions.byId({ id: userId, role: "user" }, pipelineId);
    const run = await repository.insert(deps.database.db, {
      pipelineId,
      ownerId: userId,
      idempotencyKey: "ended twice",
      trigger: "manual",
      status: "queued",
      steps: pipeline.steps,
      inputDatasetId: datasetId,
    });
    const worker = { kind: "system", id: "test" } as const;
    const end = (ending: Parameters<typeof endRun>[3]) =>
      deps.database.db.transaction((tx) => endRun(tx, { runs: repository, events: deps.events }, run, ending, worker));
    expect(await end({ status: "failed", error: "first" })).toMatchObject({ status: "failed", error: "first" });
    expect(await end({ status: "canceled" })).toBeUndefined();
    expect(await end({ status: "failed", error: "second" })).toBeUndefined();
    expect(await app.caller({ token }).pipelines.runById({ runId: run.id })).toMatchObject({
      status: "failed",
      error: "first",
    });
    const events = await queryRows<{ type: string }>(
      deps.database.db,
      sql`select type from outbox where envelope->'payload'->>'runId' = ${run.id}`,
    );
    expect(events.map((e) => e.type)).toEqual(["pipeline.run_failed"]);
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
