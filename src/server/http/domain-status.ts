import type { DomainError, DomainErrorCode } from "../utils/domain-error.js";

/** The HTTP status of each service error code, for the plain (non-tRPC) routes. */
const STATUS: Record<DomainErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

export function httpStatusOf(code: DomainErrorCode): number {
  return STATUS[code];
}

/** The `{ error }` body of a plain route's refusal, with what a client needs to retry or fix it. */
export function errorBody(error: DomainError) {
  const { fieldErrors, retryAfterMs } = error.details;
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(fieldErrors ? { fieldErrors } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    },
  };
}
