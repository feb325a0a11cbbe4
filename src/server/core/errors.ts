/**
 * What a service (or a repository refusing a malformed query) says when a request cannot be
 * done. Neither knows about HTTP or tRPC; the tRPC layer maps these codes one-to-one to its
 * typed errors. Helpers for services live in services/errors.ts.
 */
export type DomainErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS"
  | "SERVICE_UNAVAILABLE";

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: { fieldErrors?: Record<string, string[]>; retryAfterMs?: number } = {},
  ) {
    super(message);
  }
}
