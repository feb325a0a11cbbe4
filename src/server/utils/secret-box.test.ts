import { describe, expect, it } from "vitest";
import { SecretBox } from "./secret-box.js";

describe("SecretBox", () => {
  const box = new SecretBox("a deployment secret of at least 32 chars", "test purpose");

  it("opens what it sealed, and never seals the same text the same way twice", () => {
    const a = box.seal("JBSWY3DPEHPK3PXP");
    const b = box.seal("JBSWY3DPEHPK3PXP");
    expect(a).not.toBe(b);
    expect(a).not.toContain("JBSWY3DPEHPK3PXP");
    expect(box.open(a)).toBe("JBSWY3DPEHPK3PXP");
    expect(box.open(b)).toBe("JBSWY3DPEHPK3PXP");
  });

  it("refuses a box sealed under another secret or purpose, or altered", () => {
    const sealed = box.seal("secret");
    expect(() => new SecretBox("another deployment secret, 32+ chars", "test purpose").open(sealed)).toThrow();
    expect(() => new SecretBox("a deployment secret of at least 32 chars", "other purpose").open(sealed)).toThrow();
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[3] ?? "", "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open([parts[0], parts[1], parts[2], flipped.toString("base64url")].join("."))).toThrow();
    expect(() => box.open("not a box")).toThrow();
  });
});
