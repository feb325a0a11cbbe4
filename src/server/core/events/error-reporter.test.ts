import { describe, expect, it } from "vitest";
import type { Database } from "../../db/database.js";
import { testLogger } from "../../testing/events.js";
import { ErrorReporter, safeErrorMessage } from "./error-reporter.js";

describe("error reporter", () => {
  it("keeps only the error's class name, never its message", () => {
    expect(safeErrorMessage(new RangeError("user input: <script>"))).toBe("unexpected RangeError");
    const renamed = new Error("x");
    renamed.name = "name with spaces and user input";
    expect(safeErrorMessage(renamed)).toBe("unexpected error");
    expect(safeErrorMessage("a thrown string")).toBe("unexpected error");
  });

  it("never throws, even when publishing the event fails", async () => {
    const published: unknown[] = [];
    const reporter = new ErrorReporter(
      {} as Database,
      async (_tx, _type, payload) => {
        published.push(payload);
        throw new Error("database is down");
      },
      testLogger,
    );
    await expect(reporter.report("jobs.settle", new Error("boom"), { requestId: "r\n1<x>" })).resolves.toBeUndefined();
    expect(published).toEqual([{ where: "jobs.settle", message: "unexpected Error", requestId: "r1x" }]);
  });
});
