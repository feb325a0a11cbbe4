import { randomInt } from "node:crypto";
import { sha256 } from "../../utils/crypto.js";

/**
 * Recovery codes: ten single-use codes shown once at enrolment, for when the authenticator
 * app is lost. Each is 16 characters of a 31-letter alphabet (over 79 random bits), so the SHA-256
 * stored at rest cannot be reversed by guessing, and checking one is a lookup, not ten
 * argon2 runs. Letters that look alike (0/o, 1/l/i) are left out; case, spaces and dashes
 * do not matter when one is typed back.
 */
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const GROUPS = 4;
const GROUP_LENGTH = 4;
export const RECOVERY_CODE_COUNT = 10;

function newCode(): string {
  const groups = Array.from({ length: GROUPS }, () =>
    Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""),
  );
  return groups.join("-");
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
}

/** What is compared: lower case without separators. */
export function normaliseRecoveryCode(typed: string): string {
  return typed.toLowerCase().replace(/[\s-]/g, "");
}

export function looksLikeRecoveryCode(typed: string): boolean {
  const normalised = normaliseRecoveryCode(typed);
  return normalised.length === GROUPS * GROUP_LENGTH && [...normalised].every((c) => ALPHABET.includes(c));
}

export function hashRecoveryCode(typed: string): string {
  return sha256(`gantry recovery code:${normaliseRecoveryCode(typed)}`);
}
