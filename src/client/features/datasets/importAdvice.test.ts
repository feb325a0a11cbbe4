import { describe, expect, it } from "vitest";
import { importAdvice } from "./importAdvice";

describe("importAdvice", () => {
  it("explains the stray line break the report quoted, and offers skipping the bad rows", () => {
    const advice = importAdvice("Line 10001: unquoted newline found in data.");
    expect(advice.suggestSkip).toBe(true);
    expect(advice.advice).toMatch(/line break inside a value must be within quotes/);
  });

  it("offers skipping for a value of the wrong type or a ragged row", () => {
    expect(importAdvice('Line 12: Column "price": "abc" is not a number.')).toMatchObject({ suggestSkip: true });
    expect(importAdvice("Line 3: The row has fewer values than the header.")).toMatchObject({ suggestSkip: true });
    expect(importAdvice("Line 3: The row has 3 values; the header has 2.")).toMatchObject({
      suggestSkip: true,
      advice: expect.stringMatching(/different number of values/),
    });
  });

  it("does not offer skipping where no row could be saved by it", () => {
    expect(importAdvice("The file is empty.")).toMatchObject({ suggestSkip: false });
    expect(importAdvice("Line 1: The file has more than 500 columns; at most 500 are allowed.")).toMatchObject({
      suggestSkip: false,
    });
    expect(importAdvice("The file is not valid UTF-8 text.")).toMatchObject({ suggestSkip: false });
  });
});
