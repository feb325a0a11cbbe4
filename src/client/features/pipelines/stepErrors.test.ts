import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "../../../server/trpc/router.js";
import { builderErrors, fieldHasError, stepErrorLines } from "./stepErrors";

type ErrorData = NonNullable<TRPCClientError<AppRouter>["data"]>;

function answered(message: string, data: ErrorData): TRPCClientError<AppRouter> {
  return new TRPCClientError<AppRouter>(message, { result: { error: { code: -32600, message, data } } });
}

const badRequest = (message: string, fieldErrors: Record<string, string[]>) =>
  answered(message, { code: "BAD_REQUEST", httpStatus: 400, fieldErrors });

describe("builderErrors", () => {
  it("shows nothing when nothing failed", () => {
    expect(builderErrors(null, ["a"])).toEqual({ byField: {}, byStep: {}, summary: null, placed: true });
  });

  it("puts a step's error on the step that was sent at that position", () => {
    const error = badRequest('Step 2 (aggregate): There is no column "amout" at this step.', {
      "steps.1.aggregations.0.column": ['There is no column "amout" at this step.'],
    });
    const errors = builderErrors(error, ["k-filter", "k-aggregate"]);
    expect(errors.byStep).toEqual({
      "k-aggregate": { "aggregations.0.column": ['There is no column "amout" at this step.'] },
    });
    expect(errors.byStep["k-filter"]).toBeUndefined();
    expect(errors.summary).toBe("Check the steps marked below.");
    expect(errors.placed).toBe(true);
  });

  it("gathers several errors of one step, and errors of several steps", () => {
    const error = badRequest("steps.0.column: Choose a column; steps.0.value: Enter a value; steps.2.count: Too big", {
      "steps.0.column": ["Choose a column"],
      "steps.0.value": ["Enter a value"],
      "steps.2.count": ["Too big"],
    });
    expect(builderErrors(error, ["a", "b", "c"]).byStep).toEqual({
      a: { column: ["Choose a column"], value: ["Enter a value"] },
      c: { count: ["Too big"] },
    });
  });

  it("keeps the builder's own fields apart and says what no field shows", () => {
    const error = badRequest("name: Name the pipeline; steps: Use at most 50 steps", {
      name: ["Name the pipeline"],
      steps: ["Use at most 50 steps"],
    });
    const errors = builderErrors(error, []);
    expect(errors.byField).toEqual({ name: ["Name the pipeline"] });
    expect(errors.summary).toBe("steps: Use at most 50 steps");
  });

  it("does not lose an error about a step that no longer exists in the draft", () => {
    const error = badRequest("steps.4.column: Choose a column", { "steps.4.column": ["Choose a column"] });
    const errors = builderErrors(error, ["a"]);
    expect(errors.byStep).toEqual({});
    expect(errors.summary).toBe("steps.4.column: Choose a column");
    expect(errors.placed).toBe(false);
  });

  it("passes on a refusal that is about no field", () => {
    const error = answered("This data set is still importing.", { code: "CONFLICT", httpStatus: 409 });
    expect(builderErrors(error, ["a"])).toEqual({
      byField: {},
      byStep: {},
      summary: "This data set is still importing.",
      placed: false,
    });
  });
});

describe("stepErrorLines", () => {
  it("says which entry of a list is at fault, the way the form numbers them", () => {
    expect(
      stepErrorLines({
        column: ['There is no column "x" at this step.'],
        "aggregations.1.as": ['A column named "total" already exists.'],
        "by.0.column": ["Choose a column"],
      }),
    ).toEqual([
      'There is no column "x" at this step.',
      'Aggregation 2: A column named "total" already exists.',
      "Sort key 1: Choose a column",
    ]);
  });

  it("says a repeated message once", () => {
    expect(stepErrorLines({ column: ["Choose a column"], "": ["Choose a column"] })).toEqual(["Choose a column"]);
    expect(stepErrorLines(undefined)).toEqual([]);
  });
});

describe("fieldHasError", () => {
  it("marks a field when it or anything inside it is at fault", () => {
    const errors = { "by.0.column": ["Choose a column"], value: ["Enter a value"] };
    expect(fieldHasError(errors, "value")).toBe(true);
    expect(fieldHasError(errors, "by.0")).toBe(true);
    expect(fieldHasError(errors, "by.1")).toBe(false);
    expect(fieldHasError(errors, "column")).toBe(false);
    expect(fieldHasError(undefined, "column")).toBe(false);
  });
});
