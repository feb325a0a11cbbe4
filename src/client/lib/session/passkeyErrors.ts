import { isTRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../../server/trpc/router.js";
import { describeApiError } from "../api/apiError";

/**
 * What to tell a person when a passkey ceremony failed, whether the browser refused (the user
 * closed the prompt, the device already holds a passkey for the account) or the server did.
 */
export function passkeyProblem(error: unknown): string {
  if (isTRPCClientError<AppRouter>(error)) return describeApiError(error).message;
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || name === "InvalidStateError") {
    return "This device already holds a passkey for your account.";
  }
  if (name === "NotAllowedError" || name === "AbortError") {
    return "The passkey request was cancelled or timed out. Please try again.";
  }
  if (name === "SecurityError") {
    return "Passkeys cannot be used at this address. Open Gantry at its usual address and try again.";
  }
  return "Your browser could not use a passkey. Please try again.";
}
