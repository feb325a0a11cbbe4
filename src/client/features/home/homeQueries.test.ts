import { describe, expect, it } from "vitest";
import { isFirstVisit } from "./homeQueries";

describe("isFirstVisit", () => {
  it("is a first visit only once every list has loaded empty", () => {
    expect(isFirstVisit([0, 0, 0])).toBe(true);
    expect(isFirstVisit([0, undefined, 0])).toBe(false);
    expect(isFirstVisit([0, 1, 0])).toBe(false);
    expect(isFirstVisit([])).toBe(false);
  });
});
