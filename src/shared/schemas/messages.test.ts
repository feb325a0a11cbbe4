import { describe, expect, it } from "vitest";
import { z } from "zod";
import { resetPasswordInput } from "./auth.js";
import "./messages.js";

function messages(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe("friendly zod messages", () => {
  it("word the usual refusals for people, not developers", () => {
    expect(messages(z.string().min(20), "short")).toEqual(["Use at least 20 characters."]);
    expect(messages(z.string().min(1), "")).toEqual(["Fill this in."]);
    expect(messages(z.string().max(3), "long")).toEqual(["Use at most 3 characters."]);
    expect(messages(z.email(), "nope")).toEqual(["Enter an email address, like name@example.com."]);
    expect(messages(z.number().max(3), 9)).toEqual(["Use 3 or less."]);
    expect(messages(z.enum(["csv", "jsonl"]), "xls")).toEqual(["Choose one of: csv, jsonl."]);
    expect(messages(z.object({ a: z.string() }), {})).toEqual(["Fill this in."]);
  });

  it("keeps a schema's own message", () => {
    expect(messages(z.string().min(1, "Name the data set"), "")).toEqual(["Name the data set"]);
  });

  it("turns the reset token's refusal into what to do (the report: 'token: Too small')", () => {
    expect(messages(resetPasswordInput, { token: "abc", newPassword: "a long enough passphrase" })).toEqual([
      "This reset link is incomplete. Open the link from the email again, or ask for a new one.",
    ]);
  });
});
