import { describe, expect, it } from "vitest";
import { acceptedStep, newTotpSecret, otpauthUri, totpCodeAt, totpStep } from "./totp.js";

// RFC 6238 appendix B's SHA-1 key ("12345678901234567890"), in base32.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const STEP_MS = 30_000;

describe("TOTP codes", () => {
  it("matches RFC 6238's test vectors (six digits of the eight)", () => {
    expect(totpCodeAt(RFC_SECRET, 59_000)).toBe("287082");
    expect(totpCodeAt(RFC_SECRET, 1_111_111_109_000)).toBe("081804");
    expect(totpCodeAt(RFC_SECRET, 2_000_000_000_000)).toBe("279037");
  });

  it("accepts the current code and one step either side, and nothing further", () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const step = totpStep(now);
    expect(acceptedStep(secret, totpCodeAt(secret, now), now, null)).toBe(step);
    expect(acceptedStep(secret, totpCodeAt(secret, now - STEP_MS), now, null)).toBe(step - 1);
    expect(acceptedStep(secret, totpCodeAt(secret, now + STEP_MS), now, null)).toBe(step + 1);
    expect(acceptedStep(secret, totpCodeAt(secret, now - 2 * STEP_MS), now, null)).toBeNull();
    expect(acceptedStep(secret, totpCodeAt(secret, now + 2 * STEP_MS), now, null)).toBeNull();
  });

  it("refuses a code whose step was already used, or an older one still in the window", () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const step = totpStep(now);
    const code = totpCodeAt(secret, now);
    expect(acceptedStep(secret, code, now, step)).toBeNull();
    expect(acceptedStep(secret, totpCodeAt(secret, now - STEP_MS), now, step)).toBeNull();
    // The next step's code is still good after this one was used.
    expect(acceptedStep(secret, totpCodeAt(secret, now + STEP_MS), now, step)).toBe(step + 1);
  });

  it("refuses another secret's code and anything that is not six digits", () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    expect(acceptedStep(secret, totpCodeAt(newTotpSecret(), now), now, null)).toBeNull();
    for (const junk of ["", "12345", "1234567", "abcdef", " 123456", "12 3456"]) {
      expect(acceptedStep(secret, junk, now, null)).toBeNull();
    }
  });

  it("makes a 160-bit secret and an otpauth URI an app can read", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(otpauthUri(secret, "ada@example.com", "Gantry"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Gantry:ada@example.com");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("issuer")).toBe("Gantry");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
  });
});
