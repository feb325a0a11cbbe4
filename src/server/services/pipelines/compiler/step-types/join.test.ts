import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import type { Step } from "../../../../../shared/schemas/pipelines.js";
import { columnsAtEachStep } from "../../../../../shared/steps/index.js";
import { compilePipeline, type DatasetInput, StepError } from "../steps.js";

/** The join step's typing and SQL, without a database: what the contract tests run on both drivers. */
const ORDERS: DatasetInput = {
  table: "ds_orders",
  columns: [
    { name: "id", key: "id", type: "integer" },
    { name: "Customer", key: "customer", type: "integer" },
    { name: "note", key: "note", type: "text" },
  ],
};
const CUSTOMERS_ID = "00000000-0000-4000-8000-000000000001";
const CUSTOMERS: DatasetInput = {
  table: "ds_customers",
  columns: [
    { name: "id", key: "id", type: "number" },
    { name: "name", key: "name", type: "text" },
    { name: "note", key: "note", type: "text" },
    { name: "since", key: "since", type: "date" },
  ],
};

const join = (more: Partial<Extract<Step, { type: "join" }>> = {}): Step => ({
  type: "join",
  datasetId: CUSTOMERS_ID,
  kind: "inner",
  on: [{ left: "Customer", right: "id" }],
  prefix: "customer_",
  rename: [],
  ...more,
});
const compile = (steps: Step[], options: { firstRows?: number } = {}) =>
  compilePipeline({ ...ORDERS, others: new Map([[CUSTOMERS_ID, CUSTOMERS]]), joinMaxRows: 1000, ...options }, steps);
const failure = (steps: Step[]) => {
  try {
    compile(steps);
  } catch (error) {
    if (error instanceof StepError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error("expected a StepError");
};
const text = (steps: Step[], options: { firstRows?: number } = {}) => {
  const compiled = compile(steps, options);
  return new PgDialect().sqlToQuery(compiled.with).sql;
};

describe("the join step's output columns", () => {
  it("adds the other data set's columns, prefixed, without its join column", () => {
    expect(compile([join()]).columns.map(({ name, type }) => `${name}:${type}`)).toEqual([
      "id:integer",
      "Customer:integer",
      "note:text",
      "customer_name:text",
      "customer_note:text",
      "customer_since:date",
    ]);
  });

  it("renames a column instead of prefixing it", () => {
    const columns = compile([join({ prefix: "", rename: [{ from: "note", to: "customer note" }] })]).columns;
    expect(columns.map((c) => c.name)).toEqual(["id", "Customer", "note", "name", "customer note", "since"]);
  });

  it("says which field to change when a name is on both sides", () => {
    expect(failure([join({ prefix: "" })])).toEqual({
      field: "prefix",
      message:
        'A column named "note" is on both sides: rename "note" of the other data set or give its columns a prefix.',
    });
    expect(failure([join({ prefix: "", rename: [{ from: "note", to: "id" }] })]).field).toBe("rename.0.to");
    expect(failure([join({ rename: [{ from: "nope", to: "x" }] })]).field).toBe("rename.0.from");
  });

  it("joins numbers with integers, and refuses other type pairs on the pair's field", () => {
    expect(() => compile([join()])).not.toThrow();
    expect(failure([join({ on: [{ left: "note", right: "id" }] })])).toEqual({
      field: "on.0.right",
      message: '"note" is text but "id" in the other data set is number: join on columns of the same type.',
    });
    expect(failure([join({ on: [{ left: "nope", right: "id" }] })]).field).toBe("on.0.left");
    expect(failure([join({ on: [{ left: "id", right: "since" }] })]).field).toBe("on.0.right");
  });

  it("refuses a data set that was not resolved for the caller", () => {
    expect(failure([join({ datasetId: "00000000-0000-4000-8000-000000000002" })]).field).toBe("datasetId");
  });

  it("gives the builder the same columns as the server", () => {
    const context = { datasetColumns: (id: string) => (id === CUSTOMERS_ID ? CUSTOMERS.columns : undefined) };
    const scopes = columnsAtEachStep(ORDERS.columns, [join()], context);
    expect(scopes[1]).toEqual(compile([join()]).columns.map(({ name, type }) => ({ name, type })));
  });
});

describe("the join step's SQL", () => {
  it("stops making pairs one row past the limit and fails when it sees that row", () => {
    const sql = text([join({ kind: "left" })]);
    expect(sql).toContain('left join "ds_customers" as "r" on "l"."customer" = "r"."id" limit $1::bigint');
    expect(sql).toMatch(/case when \(select count\(\*\) from "s1"\) > \$2::bigint then \('gantry_join_row_limit:0:'/);
    // Rows come out in the order of this side, then of the other side.
    expect(sql).toContain('row_number() over (order by "__row", "_c4")');
  });

  it("reads only the first rows of the other data set in a preview", () => {
    expect(text([join()], { firstRows: 50 })).toContain('join (select * from "ds_customers" limit $');
    expect(text([join()])).not.toContain('(select * from "ds_customers" limit');
  });
});
