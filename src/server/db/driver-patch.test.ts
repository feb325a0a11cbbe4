import { describe, expect, it } from "vitest";
import { postgresDriverPatched } from "./driver-patch.js";

describe("the postgres.js patch", () => {
  it("is applied by the project's install, so a terminated backend cannot crash the process", () => {
    // `npm ci` runs scripts/patch-postgres.mjs as postinstall; an install that skipped it must
    // be caught here (and at start-up, where openPostgres refuses the unpatched driver).
    expect(postgresDriverPatched()).toBe(true);
  });
});
