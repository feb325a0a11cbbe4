import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Step } from "../../shared/schemas/pipelines.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { allRows, importData, secondPipelinesModule, waitForRun } from "../testing/pipelines.js";
import { ORDERS_CSV } from "./pipeline-steps.contract.js";

/**
 * The join step against expected rows, on PGlite (join.test.ts) and PostgreSQL
 * (join.int.test.ts): previews, runs, typed refusals, the row limit, whose data sets may be
 * joined, and a scheduled run whose joined data set went away.
 */
const PRODUCTS_CSV = ["product,price,category", "apple,1.5,fruit", "pear,2,fruit", "kiwi,3,exotic"].join("\n");
const MANAGERS_CSV = ["region,product,manager", "north,apple,Ann", "south,pear,Bob", "north,pear,Cy"].join("\n");
/** Small enough that joining the orders with themselves on region (14 rows) goes past it. */
const JOIN_MAX_ROWS = 10;

export function joinContract(mode: "embedded" | "services"): void {
  describe(`the join step (${mode === "embedded" ? "PGlite" : "PostgreSQL"})`, () => {
    let app: TestApp;
    let token: string;
    let orders: string;
    let products: string;
    let managers: string;

    beforeAll(async () => {
      app = await createTestApp(mode, { PIPELINE_JOIN_MAX_ROWS: String(JOIN_MAX_ROWS) });
      token = (await app.signup()).token;
      orders = (await importData(app, token, ORDERS_CSV, { name: "orders" })).dataset.id;
      products = (await importData(app, token, PRODUCTS_CSV, { name: "products" })).dataset.id;
      managers = (await importData(app, token, MANAGERS_CSV, { name: "managers" })).dataset.id;
    });
    afterAll(async () => {
      await app?.close();
    });

    const join = (
      datasetId: string,
      on: Array<[string, string]>,
      more: Partial<Step & { type: "join" }> = {},
    ): Step => ({
      type: "join",
      datasetId,
      kind: "inner",
      on: on.map(([left, right]) => ({ left, right })),
      prefix: "",
      rename: [],
      ...more,
    });
    const preview = async (steps: Step[], caller = token) => {
      const result = await app.caller({ token: caller }).pipelines.preview({ datasetId: orders, steps, limit: 100 });
      return { columns: result.columns, rows: result.rows.map((r) => r.values) };
    };
    const refusal = async (steps: Step[], caller = token) => {
      try {
        await preview(steps, caller);
      } catch (error) {
        if (!(error instanceof TRPCError)) throw error;
        const cause = error.cause as { details?: { fieldErrors?: Record<string, string[]> } } | undefined;
        return { code: error.code, message: error.message, fields: Object.keys(cause?.details?.fieldErrors ?? {}) };
      }
      throw new Error("expected the preview to be refused");
    };
    const pick = (rows: Array<Record<string, unknown>>, ...names: string[]) =>
      rows.map((row) => names.map((name) => row[name]));

    it("inner join: adds the other data set's columns, without its join column, to matching rows", async () => {
      const { columns, rows } = await preview([join(products, [["product", "product"]])]);
      expect(columns.slice(-3)).toEqual([
        { name: "note", type: "text" },
        { name: "price", type: "number" },
        { name: "category", type: "text" },
      ]);
      expect(pick(rows, "id", "product", "price", "category")).toEqual([
        [1, "apple", 1.5, "fruit"],
        [2, "pear", 2, "fruit"],
        [3, "pear", 2, "fruit"],
        [4, "apple", 1.5, "fruit"],
        [5, "apple", 1.5, "fruit"],
      ]);
    });

    it("left join: keeps rows without a match, with empty cells", async () => {
      const { rows } = await preview([join(products, [["product", "product"]], { kind: "left" })]);
      expect(pick(rows, "id", "price", "category")).toEqual([
        [1, 1.5, "fruit"],
        [2, 2, "fruit"],
        [3, 2, "fruit"],
        [4, 1.5, "fruit"],
        [5, 1.5, "fruit"],
        [6, null, null],
      ]);
    });

    it("matches on every pair of columns, and an integer key with an equal number", async () => {
      const both = await preview([
        join(
          managers,
          [
            ["region", "region"],
            ["product", "product"],
          ],
          { kind: "left" },
        ),
      ]);
      expect(pick(both.rows, "id", "manager")).toEqual([
        [1, "Ann"],
        [2, "Bob"],
        [3, "Cy"],
        [4, null],
        [5, "Ann"],
        [6, null],
      ]);
      const numeric = await preview([join(products, [["qty", "price"]], { prefix: "p_" })]);
      expect(pick(numeric.rows, "id", "qty", "p_product")).toEqual([
        [1, 3, "kiwi"],
        [5, 3, "kiwi"],
      ]);
    });

    it("refuses keys of different types, naming the step and the field", async () => {
      expect(await refusal([join(products, [["id", "product"]])])).toEqual({
        code: "BAD_REQUEST",
        message:
          'Step 1 (join): "id" is integer but "product" in the other data set is text: join on columns of the same type.',
        fields: ["steps.0.on.0.right"],
      });
      const unknown = await refusal([join(products, [["id", "nope"]])]);
      expect(unknown.fields).toEqual(["steps.0.on.0.right"]);
    });

    it("refuses output names the two sides share until the other side's columns are renamed or prefixed", async () => {
      const clash = await refusal([join(managers, [["product", "product"]])]);
      expect(clash).toEqual({
        code: "BAD_REQUEST",
        message:
          'Step 1 (join): A column named "region" is on both sides: rename "region" of the other data set or give its columns a prefix.',
        fields: ["steps.0.prefix"],
      });
      const renamed = await preview([
        join(managers, [["product", "product"]], { rename: [{ from: "region", to: "manager_region" }] }),
      ]);
      expect(renamed.columns.map((c) => c.name).slice(-2)).toEqual(["manager_region", "manager"]);
      const renamedIntoClash = await refusal([
        join(managers, [["product", "product"]], { rename: [{ from: "region", to: "id" }] }),
      ]);
      expect(renamedIntoClash.fields).toEqual(["steps.0.rename.0.to"]);
      const prefixed = await preview([join(managers, [["product", "product"]], { prefix: "m_" })]);
      expect(prefixed.columns.map((c) => c.name).slice(-2)).toEqual(["m_region", "m_manager"]);
      // The joined columns are there for the steps after it.
      const later = await preview([
        join(products, [["product", "product"]]),
        { type: "derive", name: "total", expression: "price * qty" },
        { type: "select", columns: ["id", "total"] },
      ]);
      expect(later.rows).toEqual([
        { id: 1, total: 4.5 },
        { id: 2, total: 20 },
        { id: 3, total: 2 },
        { id: 4, total: 7.5 },
        { id: 5, total: 4.5 },
      ]);
    });

    it("stops a join that makes more rows than PIPELINE_JOIN_MAX_ROWS, in a preview and in a run", async () => {
      // north ×3, south ×2, east ×1 on both sides: 9 + 4 + 1 = 14 rows.
      const blowUp = [join(orders, [["region", "region"]], { prefix: "o_" })];
      expect(await refusal(blowUp)).toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringMatching(/^Step 1 \(join\): The join makes more than 10 rows \(PIPELINE_JOIN_MAX_ROWS\)/),
        fields: ["steps.0.on"],
      });
      // Filtering first makes it fit: south 2 × 2 + east 1 × 1.
      const fitting: Step[] = [{ type: "filter", column: "region", operator: "neq", value: "north" }, ...blowUp];
      const fits = await preview(fitting);
      expect(fits.rows).toHaveLength(5);
      // A preview joins fewer rows than a run may (PGlite cannot interrupt it): the message says both.
      const bounded = secondPipelinesModule(app, { joinRows: 4 });
      const me = await app.caller({ token }).auth.me();
      await expect(
        bounded.definitions.preview(
          { id: me?.id ?? "", role: "user" },
          { datasetId: orders, steps: fitting, limit: 10 },
        ),
      ).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining(
          "The join makes more than 4 rows, the most a preview joins (a run may make 10, PIPELINE_JOIN_MAX_ROWS)",
        ),
      });
      const api = app.caller({ token });
      const pipeline = await api.pipelines.create({ name: "too many", datasetId: orders, steps: blowUp });
      const run = await api.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: "blow-up" });
      expect(await waitForRun(app, token, run.id)).toMatchObject({
        status: "failed",
        error: expect.stringMatching(
          /^The run failed: Step 1 \(join\): The join makes more than 10 rows \(PIPELINE_JOIN_MAX_ROWS\)/,
        ),
        outputDatasetId: null,
      });
    });

    it("runs a join into a new data set with the same rows as its preview", async () => {
      const steps = [join(products, [["product", "product"]], { kind: "left" })];
      const api = app.caller({ token });
      const pipeline = await api.pipelines.create({ name: "priced orders", datasetId: orders, steps });
      expect(pipeline.outputColumns.slice(-2).map((c) => c.name)).toEqual(["price", "category"]);
      const run = await api.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: "priced" });
      const done = await waitForRun(app, token, run.id);
      expect(done).toMatchObject({ status: "succeeded", outputRows: 6 });
      expect(await allRows(app, token, done.outputDatasetId ?? "")).toEqual((await preview(steps)).rows);
    });

    it("refuses someone else's data set exactly as one that does not exist", async () => {
      const other = await app.signup();
      const theirs = (await importData(app, other.token, PRODUCTS_CSV, { name: "their products" })).dataset.id;
      const refusedTheirs = await refusal([join(theirs, [["product", "product"]])]);
      const refusedMissing = await refusal([join(randomUUID(), [["product", "product"]])]);
      expect(refusedTheirs).toEqual({
        code: "BAD_REQUEST",
        message: "Step 1 (join): The data set to join does not exist.",
        fields: ["steps.0.datasetId"],
      });
      expect(refusedMissing).toEqual(refusedTheirs);
      await expect(
        app.caller({ token }).pipelines.create({
          name: "not mine",
          datasetId: orders,
          steps: [join(theirs, [["product", "product"]])],
        }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Step 1 (join): The data set to join does not exist." });
      // Its owner may join it.
      const mine = (await importData(app, other.token, ORDERS_CSV, { name: "their orders" })).dataset.id;
      const own = await app
        .caller({ token: other.token })
        .pipelines.preview({ datasetId: mine, steps: [join(theirs, [["product", "product"]])], limit: 10 });
      expect(own.rows).toHaveLength(5);
    });

    it("resolves the joined data set when a scheduled run starts, failing cleanly once it was deleted", async () => {
      const api = app.caller({ token });
      const extra = (await importData(app, token, PRODUCTS_CSV, { name: "short-lived" })).dataset.id;
      const pipeline = await api.pipelines.create({
        name: "scheduled join",
        datasetId: orders,
        steps: [join(extra, [["product", "product"]])],
      });
      await api.pipelines.schedule({ pipelineId: pipeline.id, cron: "0 3 * * *" });
      await api.pipelines.datasets.delete({ id: extra });
      const fired = await app.gantry.deps.pipelines.runs.runScheduled(pipeline.id, "firing-after-delete");
      expect(await waitForRun(app, token, fired?.id ?? "")).toMatchObject({
        status: "failed",
        error: "Step 1 (join): The data set to join does not exist.",
        outputDatasetId: null,
      });
      // A rerun by hand is refused up front, in the same words.
      await expect(api.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: "again" })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: "Step 1 (join): The data set to join does not exist.",
      });
    });
  });
}
