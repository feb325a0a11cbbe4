/**
 * What a service (or the database layer: an unreachable server, too many exports) says when a
 * request cannot be done. It knows nothing of HTTP or tRPC; the tRPC layer maps these codes
 * one-to-one to its typed errors. It sits in utils/, below every layer, so that db/ need not
 * import core/; helpers for services live in services/errors.ts.
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
