import { describe, expect, it } from "vitest";
import { CopyFailure } from "../../../repositories/dataset-tables.js";
import { charsetFor } from "./charset.js";
import { explainCopyFailure } from "./copy-errors.js";

const utf8 = charsetFor("utf-8");

function refusal(message: string, where: string) {
  return new CopyFailure(Object.assign(new Error(message), { code: "22P04", message, where }), 0);
}

describe("explainCopyFailure", () => {
  it("words PostgreSQL's 'unquoted newline' for the person who made the file, with its line", () => {
    if (!utf8) throw new Error("utf-8 is supported");
    const error = explainCopyFailure(
      refusal("unquoted newline found in data", "COPY t, line 10000"),
      [{ name: "price", key: "c0", type: "number" }],
      utf8,
      1,
    );
    expect(error?.line).toBe(10001);
    expect(error?.message).toMatch(/^Line 10001: The line ends in a different way/);
    expect(error?.message).toMatch(/Quote values that contain line breaks/);
  });
});
