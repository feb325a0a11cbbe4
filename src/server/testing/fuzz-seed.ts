import { createTestApp, type TestApp } from "./app.js";
import { importData } from "./pipelines.js";
import { expectSignedIn } from "./sign-in.js";

const FUZZ_ADMIN = { email: "admin@fuzz.test", password: "admin passphrase for the fuzz test" };

export interface FuzzWorld {
  app: TestApp;
  /** Who calls: anonymous, a signed-in user, an admin. */
  callers: Array<[name: string, token: string | null]>;
  /** Ids of rows that exist, so generated inputs also reach past "not found". */
  knownIds: string[];
}

/** An app with a user who owns a data set, a pipeline, a run and a payment, and an admin. */
export async function createFuzzWorld(mode: "embedded" | "services"): Promise<FuzzWorld> {
  const app = await createTestApp(mode, {
    ADMIN_EMAIL: FUZZ_ADMIN.email,
    ADMIN_PASSWORD: FUZZ_ADMIN.password,
    SANDBOX_SETTLE_DELAY_MS: "30",
  });
  const { token, userId } = await app.signup();
  const admin = expectSignedIn(await app.caller().auth.login(FUZZ_ADMIN)).accessToken;
  const user = app.caller({ token });
  const { dataset } = await importData(app, token, "region,amount,day\nnorth,12,2026-01-02\nsouth,7.5,2026-02-03\n");
  const pipeline = await user.pipelines.create({
    name: "fuzz",
    datasetId: dataset.id,
    steps: [{ type: "filter", column: "amount", operator: "gt", value: 1 }],
  });
  const run = await user.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: "fuzz-run" });
  const payment = await user.payments.create({
    amount: 1200,
    currency: "EUR",
    paymentMethod: "pm_card_visa",
    idempotencyKey: "fuzz-payment",
  });
  return {
    app,
    callers: [
      ["anonymous", null],
      ["user", token],
      ["admin", admin],
    ],
    knownIds: [userId, dataset.id, pipeline.id, run.id, payment.id],
  };
}
