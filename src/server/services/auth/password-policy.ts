import { readFileSync } from "node:fs";
import { PASSWORD_MAX, PASSWORD_MIN } from "../../../shared/schemas/auth.js";

let common: Set<string> | undefined;

/** The shipped list of the most common passwords, loaded on first use. */
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8")
      .split("\n")
      .filter((line) => line && !line.startsWith("#")),
  );
  return common;
}

/**
 * ASVS v5 password rules: 8 to 128 characters, any characters allowed, no composition
 * rules, and refuse passwords found in a list of the most common ones (or the email itself).
 * Returns the reason a password is refused, or null when it is acceptable.
 */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters`;
  const lowered = password.toLowerCase();
  if (commonPasswords().has(lowered)) return "This password is too common; choose another";
  if (context.email && lowered === context.email.toLowerCase()) return "Do not use your email as your password";
  return null;
}
