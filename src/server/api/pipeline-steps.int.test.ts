import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../services/errors.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { importData, secondPipelinesModule } from "../testing/pipelines.js";
import { ORDERS_CSV, stepContract } from "./pipeline-steps.contract.js";

stepContract("services");

/** Only PostgreSQL has a statement timeout; PGlite previews are bounded by their input rows instead. */
describe("pipeline previews past the time limit (PostgreSQL)", () => {
  let app: TestApp;
  let datasetId: string;
  let userId: string;
  let locker: postgres.Sql;

  beforeAll(async () => {
    app = await createTestApp("services");
    const user = await app.signup();
    userId = user.userId;
    datasetId = (await importData(app, user.token, ORDERS_CSV)).dataset.id;
    const driver = app.gantry.deps.database.driver;
    if (driver.kind !== "postgres") throw new Error("expected PostgreSQL");
    locker = postgres(driver.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await locker?.end({ timeout: 5 });
    await app?.close();
  });

  it("tells the user to narrow a preview that takes too long", async () => {
    const impatient = secondPipelinesModule(app, { timeoutMs: 300 });
    // A lock on the input holds the preview inside its statement until the timeout cancels it.
    const session = await locker.reserve();
    try {
      await session`begin`;
      await session.unsafe(`lock table "ds_${datasetId.replace(/-/g, "")}" in access exclusive mode`);
      const refused = await impatient.definitions
        .preview({ id: userId, role: "user" }, { datasetId, steps: [], limit: 10 })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DomainError);
      expect(refused).toMatchObject({
        code: "BAD_REQUEST",
        message:
          "The preview took longer than its time limit (0.3 s, PIPELINE_PREVIEW_TIMEOUT_MS); add a filter or a limit.",
      });
    } finally {
      await session`rollback`;
      session.release();
    }
  });
});
