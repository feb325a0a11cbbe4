import { isTRPCClientError, type TRPCClientErrorLike } from "@trpc/client";
import type { AppRouter } from "../../../server/trpc/router.js";

/** What react-query hands a component when a tRPC call fails. */
export type ApiError = TRPCClientErrorLike<AppRouter>;

/** Field path ("" for the whole input) -> messages; filled for BAD_REQUEST. */
export type FieldErrors = Record<string, string[]>;

export interface ErrorDescription {
  message: string;
  fieldErrors: FieldErrors;
  /** Set for TOO_MANY_REQUESTS: how long until another try can succeed. */
  retryAfterMs: number | null;
  /** True when the server never answered (offline, server down), so trying again may help. */
  unreachable: boolean;
}

/**
 * Turns a failed call into what a user should read. The server already words its
 * messages for people (see src/server/trpc/errors.ts); an error without `data` never
 * reached tRPC on the server, so the fetch itself failed.
 */
export function describeApiError(error: ApiError): ErrorDescription {
  const data = error.data;
  if (!data) {
    return {
      message: "Cannot reach the server. Check your connection; we will keep trying.",
      fieldErrors: {},
      retryAfterMs: null,
      unreachable: true,
    };
  }
  return {
    message: error.message,
    fieldErrors: data.fieldErrors ?? {},
    retryAfterMs: data.retryAfterMs ?? null,
    unreachable: false,
  };
}

/** 4xx answers will not change by asking again (except 429, which says when to retry). */
export function isWorthRetrying(error: unknown): boolean {
  if (!isTRPCClientError<AppRouter>(error)) return true;
  const status = error.data?.httpStatus;
  return status === undefined || status >= 500;
}
