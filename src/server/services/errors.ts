import { DomainError } from "../utils/domain-error.js";

export { DomainError, type DomainErrorCode } from "../utils/domain-error.js";

export const badInput = (field: string, message: string) =>
  new DomainError("BAD_REQUEST", message, { fieldErrors: { [field]: [message] } });
export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found.`);
export const forbidden = (message = "You do not have permission to do that.") => new DomainError("FORBIDDEN", message);
export const unauthorized = (message = "Please sign in.") => new DomainError("UNAUTHORIZED", message);
export const tooManyAttempts = (retryAfterMs: number, what = "Too many attempts") => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new DomainError("TOO_MANY_REQUESTS", `${what}. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`, {
    retryAfterMs,
  });
};
