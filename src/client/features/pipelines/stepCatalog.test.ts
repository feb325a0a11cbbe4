import { describe, expect, it } from "vitest";
import { defaultAggregateName, describeStep, newStep, operatorsFor, stepTypeOptions, takesValue } from "./stepCatalog";

describe("newStep", () => {
  it("prefills a new step with the first column it can use", () => {
    expect(newStep("filter", ["city", "amount"])).toEqual({
      type: "filter",
      column: "city",
      operator: "eq",
      value: "",
    });
    expect(newStep("sort", ["city"])).toEqual({ type: "sort", by: [{ column: "city", direction: "asc" }] });
    expect(newStep("select", ["city", "amount"])).toEqual({ type: "select", columns: ["city", "amount"] });
  });

  it("makes a step of every type the builder offers", () => {
    for (const { value } of stepTypeOptions) expect(newStep(value, []).type).toBe(value);
  });

  it("starts an aggregation with a row count, which needs no column", () => {
    expect(newStep("aggregate", ["city"])).toEqual({
      type: "aggregate",
      groupBy: [],
      aggregations: [{ function: "count", as: "count" }],
    });
  });
});

describe("describeStep", () => {
  it("says in one line what a step does", () => {
    expect(describeStep({ type: "filter", column: "amount", operator: "gt", value: "10" })).toBe("amount > 10");
    expect(describeStep({ type: "filter", column: "city", operator: "eq", value: "Paris" })).toBe('city = "Paris"');
    expect(describeStep({ type: "filter", column: "city", operator: "is_null" })).toBe("city is empty");
    expect(
      describeStep({
        type: "aggregate",
        groupBy: ["city"],
        aggregations: [
          { function: "sum", column: "amount", as: "total" },
          { function: "count", as: "rows" },
        ],
      }),
    ).toBe("by city: total = sum(amount), rows = count(*)");
    expect(describeStep({ type: "dedupe" })).toBe("on all columns");
    expect(describeStep({ type: "limit", count: 10 })).toBe("first 10 rows");
    expect(
      describeStep({
        type: "sort",
        by: [
          { column: "amount", direction: "desc" },
          { column: "city", direction: "asc" },
        ],
      }),
    ).toBe("amount ↓, city ↑");
  });

  it("marks what is still missing", () => {
    expect(describeStep({ type: "rename", from: "", to: "" })).toBe("? → ?");
  });
});

describe("defaultAggregateName", () => {
  it("names an aggregation after its function and column", () => {
    expect(defaultAggregateName("sum", "amount")).toBe("sum_amount");
    expect(defaultAggregateName("count", undefined)).toBe("count");
  });
});

describe("takesValue", () => {
  it("drops the value for the operators that compare with nothing", () => {
    expect(takesValue("gt")).toBe(true);
    expect(takesValue("is_null")).toBe(false);
    expect(takesValue("not_null")).toBe(false);
  });
});

describe("operatorsFor", () => {
  const values = (type: Parameters<typeof operatorsFor>[0]) => operatorsFor(type).map((option) => option.value);

  it("offers text matching on text columns only", () => {
    expect(values("text")).toContain("contains");
    expect(values("integer")).not.toContain("contains");
    expect(values("date")).toContain("lt");
  });

  it("offers only equality on true/false columns", () => {
    expect(values("boolean")).toEqual(["eq", "neq", "is_null", "not_null"]);
  });

  it("offers everything on a column whose type is not known yet", () => {
    expect(values("unknown")).toHaveLength(11);
  });
});
