import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type Algorithm, hash, verify } from "@node-rs/argon2";

/**
 * The seed's utils/crypto: password hashing, token generation, HMAC and constant-time
 * comparison. Everything security-sensitive goes through here so the parameters live in
 * one place.
 */

/** OWASP's argon2id recommendation: m = 19 MiB, t = 2, p = 1. */
const ARGON2_OPTIONS = {
  // Algorithm.Argon2id; the package ships it as an ambient const enum, which isolated modules cannot read.
  algorithm: 2 as Algorithm,
  memoryCost: 19 * 1024,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a throwaway password, verified against when an account does not exist, so a
 * login for an unknown email costs the same time as one for a known email.
 */
let decoyHash: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword(randomToken());
  await verifyPassword(await decoyHash, password);
  return false;
}

/** A URL-safe random token with `bytes` bytes of entropy (256 bits by default). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** SHA-256 of a high-entropy token, for storing reset tokens and the like at rest. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function hmacSha256(secret: string | Buffer, payload: string | Buffer): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Compare against self when lengths differ so the timing does not reveal the length match.
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
