import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig: REQUIRE_VERIFIED_EMAIL", () => {
  it("requires nothing by default: unverified accounts may do everything", () => {
    expect(loadConfig({}).requireVerifiedEmailFor).toEqual([]);
  });

  it("reads a comma list of features, once each", () => {
    expect(loadConfig({ REQUIRE_VERIFIED_EMAIL: "payments, imports,payments" }).requireVerifiedEmailFor).toEqual([
      "payments",
      "imports",
    ]);
  });

  it("names the variable when a feature is unknown", () => {
    expect(() => loadConfig({ REQUIRE_VERIFIED_EMAIL: "payments,logins" })).toThrow(/^REQUIRE_VERIFIED_EMAIL/);
  });
});
