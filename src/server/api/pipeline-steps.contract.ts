import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CellValue, Step } from "../../shared/schemas/pipelines.js";
import { doublingDerives } from "../services/pipelines/plan-growth.contract.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { allRows, importData, secondPipelinesModule, waitForRun } from "../testing/pipelines.js";

/**
 * Every step type alone and combined, against expected rows. The same expectations run on
 * PGlite (steps.test.ts) and PostgreSQL (steps.int.test.ts): the same pipeline must give the
 * same rows on both.
 */
export const ORDERS_CSV = [
  "id,region,product,amount,qty,active,day,note",
  '1,north,apple,10.5,3,true,2024-01-05,"first, with comma"',
  "2,south,pear,4.25,10,false,2024-01-06,",
  "3,north,pear,7,1,yes,2024-02-01,plain",
  '4,east,apple,,5,no,2024-02-10,"quote ""x"""',
  '5,north,apple,10.5,3,true,2024-01-05,"first, with comma"',
  "6,south,fig,2.5,,false,2024-03-01,last",
].join("\n");

export function stepContract(mode: "embedded" | "services"): void {
  describe(`pipeline steps (${mode === "embedded" ? "PGlite" : "PostgreSQL"})`, () => {
    let app: TestApp;
    let token: string;
    let datasetId: string;

    beforeAll(async () => {
      app = await createTestApp(mode);
      token = (await app.signup()).token;
      const { dataset } = await importData(app, token, ORDERS_CSV, { name: "orders" });
      datasetId = dataset.id;
    });
    afterAll(async () => {
      await app?.close();
    });

    const preview = async (steps: Step[]) => {
      const result = await app.caller({ token }).pipelines.preview({ datasetId, steps, limit: 100 });
      return { columns: result.columns, rows: result.rows.map((r) => r.values) };
    };
    const ids = async (steps: Step[]) => (await preview(steps)).rows.map((r) => r.id);
    const badRequest = async (steps: Step[]) => {
      try {
        await app.caller({ token }).pipelines.preview({ datasetId, steps, limit: 10 });
      } catch (error) {
        if (!(error instanceof TRPCError)) throw error;
        expect(error.code).toBe("BAD_REQUEST");
        const cause = error.cause as { details?: { fieldErrors?: Record<string, string[]> } } | undefined;
        return { message: error.message, fields: Object.keys(cause?.details?.fieldErrors ?? {}) };
      }
      throw new Error("expected BAD_REQUEST");
    };

    it("infers the column types from the data", async () => {
      const { columns } = await preview([]);
      expect(columns).toEqual([
        { name: "id", type: "integer" },
        { name: "region", type: "text" },
        { name: "product", type: "text" },
        { name: "amount", type: "number" },
        { name: "qty", type: "integer" },
        { name: "active", type: "boolean" },
        { name: "day", type: "date" },
        { name: "note", type: "text" },
      ]);
      const { rows } = await preview([]);
      expect(rows[3]).toEqual({
        id: 4,
        region: "east",
        product: "apple",
        amount: null,
        qty: 5,
        active: false,
        day: "2024-02-10",
        note: 'quote "x"',
      });
    });

    it("filters with every operator", async () => {
      const filter = (column: string, operator: Extract<Step, { type: "filter" }>["operator"], value?: CellValue) =>
        ids([{ type: "filter", column, operator, value }]);
      expect(await filter("region", "eq", "north")).toEqual([1, 3, 5]);
      expect(await filter("region", "neq", "north")).toEqual([2, 4, 6]);
      expect(await filter("amount", "gt", 5)).toEqual([1, 3, 5]);
      expect(await filter("amount", "gte", "7")).toEqual([1, 3, 5]);
      expect(await filter("amount", "lt", 7)).toEqual([2, 6]);
      expect(await filter("qty", "lte", 3)).toEqual([1, 3, 5]);
      expect(await filter("note", "contains", "COMMA")).toEqual([1, 5]);
      expect(await filter("product", "starts_with", "ap")).toEqual([1, 4, 5]);
      expect(await filter("product", "ends_with", "ar")).toEqual([2, 3]);
      expect(await filter("qty", "is_null")).toEqual([6]);
      expect(await filter("amount", "not_null")).toEqual([1, 2, 3, 5, 6]);
      expect(await filter("active", "eq", true)).toEqual([1, 3, 5]);
      expect(await filter("day", "gte", "2024-02-01")).toEqual([3, 4, 6]);
    });

    it("selects and renames columns", async () => {
      const selected = await preview([{ type: "select", columns: ["product", "id"] }]);
      expect(selected.columns.map((c) => c.name)).toEqual(["product", "id"]);
      expect(selected.rows[0]).toEqual({ product: "apple", id: 1 });
      const renamed = await preview([
        { type: "select", columns: ["id", "product"] },
        { type: "rename", from: "product", to: "Fruit name" },
      ]);
      expect(renamed.rows[1]).toEqual({ id: 2, "Fruit name": "pear" });
    });

    it("derives columns from expressions", async () => {
      const { rows, columns } = await preview([
        { type: "derive", name: "total", expression: "amount * qty" },
        { type: "derive", name: "label", expression: "upper(region) || '-' || product" },
        { type: "derive", name: "big", expression: "if(amount >= 7, 'yes', 'no')" },
        { type: "derive", name: "month", expression: "month(day)" },
        { type: "select", columns: ["id", "total", "label", "big", "month"] },
      ]);
      expect(columns.map((c) => c.type)).toEqual(["integer", "number", "text", "text", "integer"]);
      expect(rows.map((r) => r.total)).toEqual([31.5, 42.5, 7, null, 31.5, null]);
      expect(rows[0]).toEqual({ id: 1, total: 31.5, label: "NORTH-apple", big: "yes", month: 1 });
      expect(rows[3]?.big).toBe("no");
    });

    it("aggregates per group, groups in order of first appearance", async () => {
      const { rows } = await preview([
        {
          type: "aggregate",
          groupBy: ["region"],
          aggregations: [
            { function: "count", as: "orders" },
            { function: "sum", column: "qty", as: "units" },
            { function: "avg", column: "amount", as: "avg_amount" },
            { function: "min", column: "day", as: "first_day" },
            { function: "max", column: "amount", as: "top" },
          ],
        },
      ]);
      expect(rows).toEqual([
        { region: "north", orders: 3, units: 7, avg_amount: 28 / 3, first_day: "2024-01-05", top: 10.5 },
        { region: "south", orders: 2, units: 10, avg_amount: 3.375, first_day: "2024-01-06", top: 4.25 },
        { region: "east", orders: 1, units: 5, avg_amount: null, first_day: "2024-02-10", top: null },
      ]);
      const total = await preview([{ type: "aggregate", groupBy: [], aggregations: [{ function: "count", as: "n" }] }]);
      expect(total.rows).toEqual([{ n: 6 }]);
    });

    it("sorts with nulls last and ties in their original order", async () => {
      expect(await ids([{ type: "sort", by: [{ column: "amount", direction: "desc" }] }])).toEqual([1, 5, 3, 2, 6, 4]);
      expect(
        await ids([
          {
            type: "sort",
            by: [
              { column: "region", direction: "asc" },
              { column: "amount", direction: "asc" },
            ],
          },
        ]),
      ).toEqual([4, 3, 1, 5, 6, 2]);
    });

    it("dedupes, keeping the first of each set of duplicates", async () => {
      expect(await ids([{ type: "dedupe", columns: ["region", "product"] }])).toEqual([1, 2, 3, 4, 6]);
      const whole = await preview([{ type: "select", columns: ["region", "product", "amount"] }, { type: "dedupe" }]);
      expect(whole.rows).toHaveLength(5);
    });

    it("limits in row order, after a sort in sorted order", async () => {
      expect(await ids([{ type: "limit", count: 2 }])).toEqual([1, 2]);
      expect(
        await ids([
          { type: "sort", by: [{ column: "qty", direction: "desc" }] },
          { type: "limit", count: 2 },
        ]),
      ).toEqual([2, 4]);
    });

    const combined: Step[] = [
      { type: "filter", column: "amount", operator: "not_null" },
      { type: "derive", name: "total", expression: "amount * qty" },
      {
        type: "aggregate",
        groupBy: ["region"],
        aggregations: [
          { function: "sum", column: "total", as: "revenue" },
          { function: "count", as: "orders" },
        ],
      },
      { type: "rename", from: "revenue", to: "income" },
      { type: "sort", by: [{ column: "income", direction: "desc" }] },
      { type: "limit", count: 2 },
    ];

    it("combines steps into one statement", async () => {
      expect((await preview(combined)).rows).toEqual([
        { region: "north", income: 70, orders: 3 },
        { region: "south", income: 42.5, orders: 2 },
      ]);
    });

    it("previews 20 derives that each use the one before twice, at once", async () => {
      // Inlined, the last expression would be 2^20 copies of `amount` (issue 8: 8 s, 2.6 GB).
      const { rows } = await preview([...doublingDerives(20), { type: "select", columns: ["id", "d20"] }]);
      expect(rows.slice(0, 2)).toEqual([
        { id: 1, d20: 10.5 * 2 ** 20 },
        { id: 2, d20: 4.25 * 2 ** 20 },
      ]);
    });

    it("runs a pipeline into a new data set with the same rows as its preview", async () => {
      const api = app.caller({ token });
      const pipeline = await api.pipelines.create({ name: "revenue", datasetId, steps: combined });
      expect(pipeline.outputColumns).toEqual([
        { name: "region", type: "text" },
        { name: "income", type: "number" },
        { name: "orders", type: "integer" },
      ]);
      const run = await api.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: "steps-run" });
      const done = await waitForRun(app, token, run.id);
      expect(done).toMatchObject({ status: "succeeded", outputRows: 2, rowsDone: 6, rowsTotal: 6, percent: 100 });
      const output = await api.pipelines.datasets.byId({ id: done.outputDatasetId ?? "" });
      expect(output).toMatchObject({ status: "ready", source: "pipeline", sourceRunId: run.id, rowCount: 2 });
      expect(await allRows(app, token, output.id)).toEqual((await preview(combined)).rows);
    });

    it("names the step and the field when a step does not fit the data", async () => {
      expect(await badRequest([{ type: "filter", column: "nope", operator: "eq", value: 1 }])).toEqual({
        message: 'Step 1 (filter): There is no column "nope" at this step.',
        fields: ["steps.0.column"],
      });
      expect((await badRequest([{ type: "filter", column: "qty", operator: "gt", value: "many" }])).fields).toEqual([
        "steps.0.value",
      ]);
      expect(
        (await badRequest([{ type: "filter", column: "amount", operator: "contains", value: "1" }])).fields,
      ).toEqual(["steps.0.operator"]);
      expect(
        await badRequest([
          { type: "select", columns: ["id", "product"] },
          { type: "aggregate", groupBy: [], aggregations: [{ function: "sum", column: "product", as: "s" }] },
        ]),
      ).toEqual({
        message: 'Step 2 (aggregate): sum needs a numeric column; "product" is text.',
        fields: ["steps.1.aggregations.0.column"],
      });
      const derive = await badRequest([
        { type: "select", columns: ["id", "amount"] },
        { type: "derive", name: "x", expression: "amount + region" },
      ]);
      expect(derive.fields).toEqual(["steps.1.expression"]);
      expect(derive.message).toContain('There is no column "region"');
      expect((await badRequest([{ type: "derive", name: "x", expression: "region * 2" }])).message).toContain(
        "Type mismatch",
      );
      expect((await badRequest([{ type: "rename", from: "id", to: "region" }])).fields).toEqual(["steps.0.to"]);
    });

    it("refuses unknown functions, also those named like JavaScript object properties", async () => {
      for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "nope"]) {
        const refused = await badRequest([{ type: "derive", name: "x", expression: `${name}(id)` }]);
        expect(refused.fields).toEqual(["steps.0.expression"]);
        expect(refused.message).toMatch(
          new RegExp(`^Step 1 \\(derive\\): Unknown function ${name.toLowerCase()}\\(\\)\\. Available: upper,`),
        );
      }
    });

    it("turns errors the data causes while computing into BAD_REQUEST naming the step", async () => {
      const derive = (expression: string): Step[] => [
        { type: "select", columns: ["id", "qty", "note", "day"] },
        { type: "derive", name: "x", expression },
      ];
      expect(await badRequest(derive("qty * 99999999999 * 99999999999"))).toEqual({
        message: "Step 2 (derive): A number is out of range.",
        fields: ["steps.1.expression"],
      });
      expect((await badRequest(derive("substr(note, 1, -1)"))).message).toBe(
        "Step 2 (derive): substr() was given a negative length.",
      );
      expect((await badRequest(derive("day + 999999999"))).message).toBe(
        "Step 2 (derive): A date or time is out of range.",
      );
      const two = await badRequest([
        { type: "derive", name: "a", expression: "qty + 1" },
        { type: "derive", name: "b", expression: "qty * 99999999999 * 99999999999" },
      ]);
      expect(two).toEqual({
        message: "Step 1 or 2 (derive): A number is out of range.",
        fields: ["steps.0.expression", "steps.1.expression"],
      });
    });

    it("fails a run the data cannot be computed for with a message naming the step, not the database", async () => {
      const api = app.caller({ token });
      const pipeline = await api.pipelines.create({
        name: "overflowing",
        datasetId,
        steps: [{ type: "derive", name: "huge", expression: "qty * 99999999999 * 99999999999" }],
      });
      const run = await api.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: "overflow" });
      const done = await waitForRun(app, token, run.id);
      expect(done).toMatchObject({
        status: "failed",
        error: "The run failed: Step 1 (derive): A number is out of range.",
        outputDatasetId: null,
      });
    });

    it("previews the first rows of the input only, so a preview's work is bounded", async () => {
      const bounded = secondPipelinesModule(app, { inputRows: 3 });
      const me = await app.caller({ token }).auth.me();
      const caller = { id: me?.id ?? "", role: "user" as const };
      const count = await bounded.definitions.preview(caller, {
        datasetId,
        steps: [{ type: "aggregate", groupBy: [], aggregations: [{ function: "count", as: "n" }] }],
        limit: 10,
      });
      expect(count.rows.map((r) => r.values)).toEqual([{ n: 3 }]);
      const first = await bounded.definitions.preview(caller, { datasetId, steps: [], limit: 10 });
      expect(first.rows.map((r) => r.values.id)).toEqual([1, 2, 3]);
      expect(
        (await preview([{ type: "aggregate", groupBy: [], aggregations: [{ function: "count", as: "n" }] }])).rows,
      ).toEqual([{ n: 6 }]);
    });

    it("refuses to save a pipeline whose steps do not fit, naming the step", async () => {
      const api = app.caller({ token });
      await expect(
        api.pipelines.create({
          name: "broken",
          datasetId,
          steps: [
            { type: "limit", count: 3 },
            { type: "sort", by: [{ column: "missing", direction: "asc" }] },
          ],
        }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("Step 2 (sort)") });
    });

    it("keeps text that looks like SQL as data", async () => {
      const hostile = "x'); drop table users; --";
      expect(await ids([{ type: "filter", column: "note", operator: "eq", value: hostile }])).toEqual([]);
      const { rows } = await preview([
        { type: "derive", name: "echo", expression: `'${hostile.replace(/'/g, "''")}'` },
        { type: "limit", count: 1 },
      ]);
      expect(rows[0]?.echo).toBe(hostile);
      expect(await app.caller({ token }).auth.me()).not.toBeNull();
    });
  });
}
