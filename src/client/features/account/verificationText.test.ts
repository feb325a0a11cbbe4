import { describe, expect, it } from "vitest";
import { verificationTokenFrom, withheldUntilVerified } from "./verificationText";

describe("verification texts", () => {
  it("says what waits for a verified email, or nothing", () => {
    expect(withheldUntilVerified([])).toBeNull();
    expect(withheldUntilVerified(["payments"])).toBe("Until then, payments is not available.");
    expect(withheldUntilVerified(["payments", "imports"])).toBe(
      "Until then, payments and data set imports are not available.",
    );
  });

  it("reads the link's token from the query", () => {
    expect(verificationTokenFrom("?token=abcdefghijklmnopqrstuvwxyz")).toBe("abcdefghijklmnopqrstuvwxyz");
    expect(verificationTokenFrom("?token=short")).toBeNull();
    expect(verificationTokenFrom("")).toBeNull();
  });
});
