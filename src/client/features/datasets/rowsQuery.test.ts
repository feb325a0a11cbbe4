import { describe, expect, it } from "vitest";
import type { DatasetColumn } from "../../../shared/schemas/pipelines";
import { readListState } from "../../ui/table/listParams";
import { cellText, initialFilterColumns, parseRowFilter, ROW_FIELD, rowsInput, rowsSpec } from "./rowsQuery";

const columns: DatasetColumn[] = [
  { name: "city", type: "text" },
  { name: "amount", type: "integer" },
  { name: "paid", type: "boolean" },
  { name: "page", type: "text" },
];

describe("parseRowFilter", () => {
  it("reads a comparison in front of a number or a date", () => {
    expect(parseRowFilter("integer", "> 10")).toEqual({ op: "gt", value: "10" });
    expect(parseRowFilter("number", ">=2.5")).toEqual({ op: "gte", value: "2.5" });
    expect(parseRowFilter("date", "≤ 2024-06-30")).toEqual({ op: "lte", value: "2024-06-30" });
    expect(parseRowFilter("integer", "!= 0")).toEqual({ op: "neq", value: "0" });
    expect(parseRowFilter("integer", "42")).toEqual({ op: "eq", value: "42" });
  });

  it("matches text anywhere, or exactly after =", () => {
    expect(parseRowFilter("text", "par")).toEqual({ op: "contains", value: "par" });
    expect(parseRowFilter("text", "= Paris")).toEqual({ op: "eq", value: "Paris" });
    expect(parseRowFilter("text", "!=Paris")).toEqual({ op: "neq", value: "Paris" });
    expect(parseRowFilter("text", "> a")).toEqual({ op: "contains", value: "> a" });
  });

  it("waits for a value after the comparison", () => {
    expect(parseRowFilter("integer", ">")).toBeNull();
    expect(parseRowFilter("text", "  ")).toBeNull();
  });
});

describe("the data set table's state", () => {
  it("names columns by position, so any column name is safe in the URL", () => {
    const spec = rowsSpec(columns, [0, 1, 2, 3]);
    expect(spec.sortable).toEqual(["c0", "c1", "c2", "c3"]);
    expect(spec.filters.map((filter) => filter.label)).toEqual(["city contains", "amount", "paid", "page contains"]);
    expect(spec.filters[2]?.options?.map((option) => option.value)).toEqual(["true", "false"]);
  });

  it("turns the URL into the rows query, in the file's order by default", () => {
    const spec = rowsSpec(columns, [0, 1, 3]);
    const state = readListState(new URLSearchParams("page=2&c1=%3E10&c3=home&page=3"), spec);
    expect(rowsInput("d1", columns, spec, state)).toEqual({
      datasetId: "d1",
      page: 2,
      pageSize: 20,
      sort: undefined,
      filter: [
        { field: "amount", op: "gt", value: "10" },
        { field: "page", op: "contains", value: "home" },
      ],
    });
  });

  it("sorts by the column's name", () => {
    const spec = rowsSpec(columns, []);
    const state = readListState(new URLSearchParams("sort=c1.desc"), spec);
    expect(rowsInput("d1", columns, spec, state).sort).toEqual({ field: "amount", direction: "desc" });
    expect(readListState(new URLSearchParams(), spec).sort).toEqual({ field: ROW_FIELD, direction: "asc" });
  });

  it("offers filters on the first columns and on any the URL filters by", () => {
    const wide: DatasetColumn[] = Array.from({ length: 20 }, (_, i) => ({ name: `col${i}`, type: "text" }));
    expect(initialFilterColumns(wide, new URLSearchParams("c15=x"))).toEqual([0, 1, 2, 3, 4, 5, 15]);
    expect(initialFilterColumns(columns, new URLSearchParams())).toEqual([0, 1, 2, 3]);
  });
});

describe("cellText", () => {
  it("shows values as the server sent them and empties as a dash", () => {
    expect(cellText(null)).toBe("—");
    expect(cellText(false)).toBe("false");
    expect(cellText(12.5)).toBe("12.5");
    expect(cellText("9007199254740993")).toBe("9007199254740993");
  });
});
