import { describe, expect, it } from "vitest";
import type { DatasetColumn } from "../../../shared/schemas/pipelines";
import { columnLabel, columnsAtEachStep } from "./stepColumns";

const input: DatasetColumn[] = [
  { name: "city", type: "text" },
  { name: "amount", type: "integer" },
  { name: "date", type: "date" },
];
const names = (columns: Array<{ name: string }>) => columns.map((column) => column.name);

describe("columnsAtEachStep", () => {
  it("gives the first step the data set's columns and the output after the last step", () => {
    const scopes = columnsAtEachStep(input, [{ type: "filter", column: "amount", operator: "gt", value: "10" }]);
    expect(scopes).toHaveLength(2);
    expect(scopes[0]).toEqual(input);
    expect(scopes[1]).toEqual(input);
  });

  it("follows select, rename and derive", () => {
    const scopes = columnsAtEachStep(input, [
      { type: "select", columns: ["amount", "city"] },
      { type: "rename", from: "amount", to: "total" },
      { type: "derive", name: "big", expression: "total > 100" },
    ]);
    expect(names(scopes[1] ?? [])).toEqual(["amount", "city"]);
    expect(scopes[2]).toEqual([
      { name: "total", type: "integer" },
      { name: "city", type: "text" },
    ]);
    expect(scopes[3]?.at(-1)).toEqual({ name: "big", type: "unknown" });
  });

  it("turns an aggregation into its groups and results, typed as the server types them", () => {
    const [, output] = columnsAtEachStep(input, [
      {
        type: "aggregate",
        groupBy: ["city"],
        aggregations: [
          { function: "sum", column: "amount", as: "sum_amount" },
          { function: "avg", column: "amount", as: "avg_amount" },
          { function: "max", column: "date", as: "last" },
          { function: "count", as: "rows" },
        ],
      },
    ]);
    expect(output).toEqual([
      { name: "city", type: "text" },
      { name: "sum_amount", type: "integer" },
      { name: "avg_amount", type: "number" },
      { name: "last", type: "date" },
      { name: "rows", type: "integer" },
    ]);
  });

  it("lets an unfinished step change as little as it can", () => {
    const [, afterRename, afterDerive] = columnsAtEachStep(input, [
      { type: "rename", from: "amount", to: "" },
      { type: "derive", name: "city", expression: "upper(city)" },
    ]);
    expect(afterRename).toEqual(input);
    expect(afterDerive).toEqual(input);
  });
});

describe("columnLabel", () => {
  it("shows the type when it is known", () => {
    expect(columnLabel({ name: "amount", type: "integer" })).toBe("amount (integer)");
    expect(columnLabel({ name: "big", type: "unknown" })).toBe("big");
  });
});
