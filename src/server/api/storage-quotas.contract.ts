import { readdir } from "node:fs/promises";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatasetView } from "../../shared/schemas/pipelines.js";
import { UploadRefusedError } from "../services/pipelines/upload-errors.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { datasetTableOf, seedDataset as seed, tableBytes as tableBytesOf } from "../testing/dataset-tables.js";
import { importData, uploadRaw, waitForRun } from "../testing/pipelines.js";

const QUOTA = 400_000;
const MAX_DATASETS = 6;
const KEEP = 2;

/**
 * Per-user storage quota, data set count, schedule interval and scheduled-output retention, on
 * PGlite (quotas.test.ts) and PostgreSQL (quotas.int.test.ts). Sizes are the database's own
 * (`pg_total_relation_size`), so the data here is sized to sit clearly on one side of the limit.
 */
export function quotaContract(mode: "embedded" | "services"): void {
  describe(`storage quotas and schedules (${mode === "embedded" ? "PGlite" : "PostgreSQL"})`, () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await createTestApp(mode, {
        STORAGE_QUOTA_BYTES: String(QUOTA),
        MAX_DATASETS_PER_USER: String(MAX_DATASETS),
        SCHEDULED_OUTPUT_RETENTION: String(KEEP),
      });
    }, 120_000);
    afterAll(async () => {
      await app?.close();
    });

    const tableBytes = (datasetId: string) => tableBytesOf(app, datasetId);
    const usage = (token: string) => app.caller({ token }).pipelines.datasets.usage();
    const datasetsOf = async (token: string): Promise<DatasetView[]> =>
      (await app.caller({ token }).pipelines.datasets.list({ pageSize: 100 })).items;
    const uploadsLeft = async () =>
      (await readdir(join(app.gantry.deps.config.dataDir, "uploads")).catch(() => [])).length;
    const lines = (header: string, count: number, row: (i: number) => string) =>
      `${header}\n${Array.from({ length: count }, (_, i) => row(i + 1)).join("\n")}\n`;

    const seedDataset = (ownerId: string, rows: number) => seed(app, ownerId, rows);

    it("shows what a user's uploads and run outputs take, and nothing of other users'", async () => {
      const owner = await app.signup();
      const other = await app.signup();
      expect(await usage(owner.token)).toEqual({
        usedBytes: 0,
        limitBytes: QUOTA,
        datasets: 0,
        maxDatasets: MAX_DATASETS,
      });
      const { dataset } = await importData(app, owner.token, "k,v\na,1\nb,2\n");
      const uploaded = (await tableBytes(dataset.id)) ?? 0;
      expect(uploaded).toBeGreaterThan(0);
      expect(await usage(owner.token)).toMatchObject({ usedBytes: uploaded, datasets: 1 });

      const api = app.caller({ token: owner.token });
      const pipeline = await api.pipelines.create({ name: "copy", datasetId: dataset.id, steps: [] });
      const run = await waitForRun(
        app,
        owner.token,
        (await api.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: "usage" })).id,
      );
      const output = (await tableBytes(run.outputDatasetId ?? "")) ?? 0;
      expect(await usage(owner.token)).toMatchObject({ usedBytes: uploaded + output, datasets: 2 });
      expect(await usage(other.token)).toMatchObject({ usedBytes: 0, datasets: 0 });
    });

    it.runIf(mode === "services")("answers usage at once while one of the user's tables is locked", async () => {
      const owner = await app.signup();
      const { dataset } = await importData(app, owner.token, "k\na\n");
      const client = postgres(app.gantry.deps.config.databaseUrl ?? "", { max: 1, onnotice: () => {} });
      try {
        const session = await client.reserve();
        await session`begin`;
        // What a drop in progress, or a test holding a run in its statement, does to a table.
        await session.unsafe(`lock table "${datasetTableOf(dataset.id)}" in access exclusive mode`);
        const answer = await Promise.race([
          usage(owner.token),
          new Promise((resolve) => setTimeout(() => resolve("blocked"), 3000)),
        ]);
        await session`rollback`;
        session.release();
        expect(answer).toMatchObject({ datasets: 1 });
      } finally {
        await client.end();
      }
    });

    it("refuses uploads and runs once storage is full, before reading the upload, naming the setting", async () => {
      const owner = await app.signup();
      const seeded = await seedDataset(owner.userId, 8000);
      expect((await usage(owner.token)).usedBytes).toBeGreaterThan(QUOTA);

      let read = false;
      const body = (async function* () {
        read = true;
        yield Buffer.from("a\n1\n");
      })();
      const refused = app.gantry.deps.pipelines.datasets.receiveUpload({ id: owner.userId, role: "user" }, body, {
        contentType: "text/csv",
        declaredBytes: undefined,
        options: { name: "more", skipInvalid: false, types: {} },
      });
      await expect(refused).rejects.toBeInstanceOf(UploadRefusedError);
      await expect(refused).rejects.toMatchObject({ reason: "storage_quota" });
      expect(read).toBe(false);

      const response = await uploadRaw(app, owner.token, "a\n1\n");
      expect(response.statusCode).toBe(413);
      expect(response.json()).toEqual({
        error: {
          code: "STORAGE_QUOTA",
          message: "Storage quota of 390.6 KB reached (STORAGE_QUOTA_BYTES): delete data sets to free space.",
        },
      });
      expect((await datasetsOf(owner.token)).map((d) => d.id)).toEqual([seeded]);
      // The file goes right after the import commits: give it that moment.
      await expect.poll(uploadsLeft).toBe(0);

      const api = app.caller({ token: owner.token });
      const pipeline = await api.pipelines.create({ name: "copy", datasetId: seeded, steps: [] });
      await expect(api.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: "full" })).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: expect.stringContaining("(STORAGE_QUOTA_BYTES)"),
      });
      expect((await api.pipelines.runs({ pipelineId: pipeline.id })).total).toBe(0);

      // A scheduled firing is not refused up front: its run fails at once and says why.
      await api.pipelines.schedule({ pipelineId: pipeline.id, cron: "0 3 * * *" });
      const fired = await app.gantry.deps.pipelines.runs.runScheduled(pipeline.id, "firing-when-full");
      expect(await waitForRun(app, owner.token, fired?.id ?? "")).toMatchObject({
        status: "failed",
        outputDatasetId: null,
        error: expect.stringContaining("(STORAGE_QUOTA_BYTES)"),
      });
    });

    it("cuts off an upload as soon as it would go over the quota, keeping nothing", async () => {
      const owner = await app.signup();
      const csv = lines("n", 80_000, (i) => String(i));
      expect(csv.length).toBeGreaterThan(QUOTA);
      const response = await uploadRaw(app, owner.token, csv);
      expect(response.statusCode).toBe(413);
      expect(response.json().error).toMatchObject({
        code: "STORAGE_QUOTA",
        message: expect.stringMatching(
          /^This upload would go over the storage quota of 390.6 KB \(STORAGE_QUOTA_BYTES\): 390.6 KB left\./,
        ),
      });
      expect(await datasetsOf(owner.token)).toEqual([]);
      // The file goes right after the import commits: give it that moment.
      await expect.poll(uploadsLeft).toBe(0);
    });

    it("fails an import whose table turns out larger than the room left, keeping no table", async () => {
      const owner = await app.signup();
      // About 170 KB of file, but over 1 MB of table (each row has ~40 bytes of overhead).
      const csv = lines("n", 30_000, (i) => String(i));
      expect(csv.length).toBeLessThan(QUOTA);
      const { final, dataset } = await importData(app, owner.token, csv);
      expect(final).toMatchObject({
        status: "failed",
        error: expect.stringMatching(
          /^The imported table takes .+, which would go over the storage quota of 390.6 KB \(STORAGE_QUOTA_BYTES\); nothing was kept\./,
        ),
      });
      expect(dataset).toMatchObject({ status: "failed", rowCount: null });
      expect(await tableBytes(dataset.id)).toBeNull();
      expect(await usage(owner.token)).toMatchObject({ usedBytes: 0, datasets: 1 });
      // The file goes right after the import commits: give it that moment.
      await expect.poll(uploadsLeft).toBe(0);
      // Nothing is stuck: a file that fits still imports.
      expect((await importData(app, owner.token, "a\n1\n")).final.status).toBe("succeeded");
    });

    it("fails a run whose output would go over the quota, keeping no output", async () => {
      const owner = await app.signup();
      const csv = lines("n,t", 3000, (i) => `${i},${"y".repeat(30)}`);
      const { dataset } = await importData(app, owner.token, csv);
      const before = await usage(owner.token);
      // Room for the input, not for a copy of it.
      expect(before.usedBytes).toBeGreaterThan(QUOTA / 2);
      expect(before.usedBytes).toBeLessThan(QUOTA);

      const api = app.caller({ token: owner.token });
      const pipeline = await api.pipelines.create({ name: "copy", datasetId: dataset.id, steps: [] });
      const run = await api.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: "too big" });
      expect(await waitForRun(app, owner.token, run.id)).toMatchObject({
        status: "failed",
        outputDatasetId: null,
        error: expect.stringMatching(
          /^The output takes .+, which would go over the storage quota of 390.6 KB \(STORAGE_QUOTA_BYTES\); nothing was kept\./,
        ),
      });
      expect(await usage(owner.token)).toEqual(before);
      expect(await datasetsOf(owner.token)).toHaveLength(1);
    });

    it("limits how many data sets a user has, uploads and run outputs alike", async () => {
      const owner = await app.signup();
      const api = app.caller({ token: owner.token });
      const first = (await importData(app, owner.token, "k\na\n")).dataset;
      const pipeline = await api.pipelines.create({ name: "copy", datasetId: first.id, steps: [] });
      await waitForRun(
        app,
        owner.token,
        (await api.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: "1" })).id,
      );
      for (let i = 2; i < MAX_DATASETS; i++) await importData(app, owner.token, `k\n${i}\n`);
      expect(await usage(owner.token)).toMatchObject({ datasets: MAX_DATASETS });

      const limit = `Limit of ${MAX_DATASETS} data sets reached (MAX_DATASETS_PER_USER): delete data sets to make room.`;
      const response = await uploadRaw(app, owner.token, "k\nz\n");
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ error: { code: "DATASET_LIMIT", message: limit } });
      await expect(api.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: "2" })).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: limit,
      });

      const spare = (await datasetsOf(owner.token)).find((d) => d.source === "upload" && d.id !== first.id);
      await api.pipelines.datasets.delete({ id: spare?.id ?? "" });
      expect((await uploadRaw(app, owner.token, "k\nz\n")).statusCode).toBe(202);
    });

    it("refuses a schedule that fires more often than the minimum interval, naming the setting", async () => {
      const owner = await app.signup();
      const api = app.caller({ token: owner.token });
      const { dataset } = await importData(app, owner.token, "k\na\n");
      const pipeline = await api.pipelines.create({ name: "often", datasetId: dataset.id, steps: [] });
      expect(await api.pipelines.scheduleRules()).toEqual({ minIntervalMinutes: 15, keepOutputs: KEEP });

      const refusal = (message: string) => ({
        code: "BAD_REQUEST",
        cause: { details: { fieldErrors: { cron: [message] } } },
      });
      await expect(api.pipelines.schedule({ pipelineId: pipeline.id, cron: "*/5 * * * *" })).rejects.toMatchObject(
        refusal(
          "This schedule fires 5 minutes apart; schedules may fire at most every 15 minutes (SCHEDULE_MIN_INTERVAL_MINUTES).",
        ),
      );
      // Hourly at :00 and :59 on Mondays and Tuesdays: a minute apart only around Monday midnight.
      await expect(
        api.pipelines.schedule({ pipelineId: pipeline.id, cron: "0,59 0,23 * * 1,2" }),
      ).rejects.toMatchObject(
        refusal(
          "This schedule fires 1 minute apart; schedules may fire at most every 15 minutes (SCHEDULE_MIN_INTERVAL_MINUTES).",
        ),
      );
      await expect(api.pipelines.schedule({ pipelineId: pipeline.id, cron: "0 0 31 2 *" })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining("never fires"),
      });
      expect((await api.pipelines.byId({ id: pipeline.id })).schedule).toBeNull();
      expect((await api.pipelines.schedule({ pipelineId: pipeline.id, cron: "*/15 * * * *" })).schedule).toBe(
        "*/15 * * * *",
      );
      await api.pipelines.schedule({ pipelineId: pipeline.id, cron: null });
    });

    it("keeps the last outputs of a pipeline's scheduled runs and drops only older ones nobody uses", async () => {
      const owner = await app.signup();
      const stranger = await app.signup();
      const api = app.caller({ token: owner.token });
      const { runs } = app.gantry.deps.pipelines;
      const input = (await importData(app, owner.token, "k\na\n")).dataset.id;
      const nightly = await api.pipelines.create({ name: "nightly", datasetId: input, steps: [] });
      const other = await api.pipelines.create({ name: "other", datasetId: input, steps: [] });
      await api.pipelines.schedule({ pipelineId: nightly.id, cron: "0 3 * * *" });
      await api.pipelines.schedule({ pipelineId: other.id, cron: "0 4 * * *" });
      const fire = async (pipelineId: string, firing: string, token = owner.token) => {
        const run = await runs.runScheduled(pipelineId, firing);
        const done = await waitForRun(app, token, run?.id ?? "");
        expect(done.status).toBe("succeeded");
        return done.outputDatasetId ?? "";
      };

      const manual = await waitForRun(
        app,
        owner.token,
        (await api.pipelines.run({ pipelineId: nightly.id, idempotencyKey: "by hand" })).id,
      );
      const otherOutput = await fire(other.id, "other-1");
      const strangerInput = (await importData(app, stranger.token, "k\na\n")).dataset.id;
      const strangerApi = app.caller({ token: stranger.token });
      const strangers = await strangerApi.pipelines.create({ name: "nightly", datasetId: strangerInput, steps: [] });
      await strangerApi.pipelines.schedule({ pipelineId: strangers.id, cron: "0 3 * * *" });
      const strangerOutput = await fire(strangers.id, "stranger-1", stranger.token);

      const first = await fire(nightly.id, "nightly-1");
      // Another pipeline reads the first output: it stays, however old.
      await api.pipelines.create({ name: "reads the first", datasetId: first, steps: [] });
      const second = await fire(nightly.id, "nightly-2");
      const third = await fire(nightly.id, "nightly-3");
      const fourth = await fire(nightly.id, "nightly-4");

      const left = (await datasetsOf(owner.token)).map((d) => d.id).sort();
      expect(left).toEqual([input, manual.outputDatasetId ?? "", otherOutput, first, third, fourth].sort());
      expect(await tableBytes(second)).toBeNull();
      expect((await datasetsOf(stranger.token)).map((d) => d.id).sort()).toEqual(
        [strangerInput, strangerOutput].sort(),
      );
      const history = await api.pipelines.runs({ pipelineId: nightly.id, pageSize: 10 });
      expect(history.items.filter((r) => r.status === "succeeded")).toHaveLength(5);
      expect(history.items.filter((r) => r.outputDatasetId === null)).toHaveLength(1);
    });
  });
}
