import { describe, expect, it } from "vitest";
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, RECOVERY_CODE_COUNT } from "./recovery-codes.js";

describe("recovery codes", () => {
  it("are ten distinct codes of four groups of four", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      expect(looksLikeRecoveryCode(code)).toBe(true);
    }
  });

  it("hash the same however they are typed back, and differently from each other", () => {
    const [code = "", other = ""] = newRecoveryCodes();
    const typed = ` ${code.toUpperCase().replaceAll("-", " ")} `;
    expect(hashRecoveryCode(typed)).toBe(hashRecoveryCode(code));
    expect(hashRecoveryCode(code)).not.toBe(hashRecoveryCode(other));
    expect(hashRecoveryCode(code)).not.toContain(code.replaceAll("-", ""));
  });

  it("are told apart from authenticator codes and junk", () => {
    expect(looksLikeRecoveryCode("123456")).toBe(false);
    expect(looksLikeRecoveryCode("abcd-efgh-jkmn-pqr")).toBe(false);
    expect(looksLikeRecoveryCode("abcd-efgh-jkmn-pqr0")).toBe(false);
  });
});
