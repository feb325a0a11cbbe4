import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/app.js";
import { importData, waitForRun } from "../../testing/pipelines.js";

/**
 * A run's statement has a time limit (PIPELINE_RUN_TIMEOUT_MS), and the user is told which
 * limit stopped it. A lock on the input table holds the run inside its statement.
 */
describe("pipeline runs past their time limit (PostgreSQL)", () => {
  let app: TestApp;
  let token: string;
  let datasetId: string;
  let locker: postgres.Sql;

  beforeAll(async () => {
    app = await createTestApp("services", { PIPELINE_RUN_TIMEOUT_MS: "1000" });
    token = (await app.signup()).token;
    datasetId = (await importData(app, token, "k,v\na,1\nb,2\n")).dataset.id;
    const driver = app.gantry.deps.database.driver;
    if (driver.kind !== "postgres") throw new Error("expected PostgreSQL");
    locker = postgres(driver.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await locker?.end({ timeout: 5 });
    await app?.close();
  });

  it("stops the run's statement at the limit and fails the run once, naming the setting", async () => {
    const api = app.caller({ token });
    const { id: pipelineId } = await api.pipelines.create({
      name: "held",
      datasetId,
      steps: [{ type: "derive", name: "w", expression: "v * 2" }],
    });
    const session = await locker.reserve();
    try {
      await session`begin`;
      await session.unsafe(`lock table "ds_${datasetId.replace(/-/g, "")}" in access exclusive mode`);
      const run = await api.pipelines.run({ pipelineId, idempotencyKey: "held" });
      const final = await waitForRun(app, token, run.id);
      expect(final.status).toBe("failed");
      expect(final.error).toBe(
        "The run took longer than its time limit (1 s, PIPELINE_RUN_TIMEOUT_MS) and was stopped.",
      );
      expect((await api.pipelines.runById({ runId: run.id })).attempts).toBe(1);
    } finally {
      await session`rollback`;
      session.release();
    }
  }, 30_000);
});
