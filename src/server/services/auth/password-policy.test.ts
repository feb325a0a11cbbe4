import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy.js";

describe("passwordProblem", () => {
  it("refuses the most common passwords whatever their case", () => {
    expect(passwordProblem("password")).toMatch(/too common/);
    expect(passwordProblem("Password")).toMatch(/too common/);
    expect(passwordProblem("iloveyou")).toMatch(/too common/);
    expect(passwordProblem("qwertyuiop")).toMatch(/too common/);
  });

  it("enforces 8 to 128 characters, counting characters not bytes", () => {
    expect(passwordProblem("a1b2c3d")).toMatch(/at least 8/);
    expect(passwordProblem("ü".repeat(8))).toBeNull();
    expect(passwordProblem("x".repeat(129))).toMatch(/at most 128/);
    expect(passwordProblem("x".repeat(128).replace(/^x/, "y"))).toBeNull();
  });

  it("accepts a long unusual passphrase and refuses the email as password", () => {
    expect(passwordProblem("tangerine kayak lighthouse")).toBeNull();
    expect(passwordProblem("ana@example.com", { email: "ana@example.com" })).toMatch(/email/);
  });
});
