import { describe, expect, it } from "vitest";
import { tokenFromHash } from "./resetToken";

describe("tokenFromHash", () => {
  it("reads the token the reset email puts in the hash, decoded", () => {
    expect(tokenFromHash("#token=abc%2Bdef_123")).toBe("abc+def_123");
    expect(tokenFromHash("token=abc")).toBe("abc");
  });

  it("finds nothing in an empty or foreign hash", () => {
    expect(tokenFromHash("")).toBeNull();
    expect(tokenFromHash("#token=")).toBeNull();
    expect(tokenFromHash("#section-2")).toBeNull();
  });
});
