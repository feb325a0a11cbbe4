import { TRPCError } from "@trpc/server";
import type { DefaultErrorShape } from "@trpc/server/unstable-core-do-not-import";
import { ZodError } from "zod";
import { DomainError } from "../services/errors.js";

/** The tRPC error for a service's DomainError: same code, same message, same details. */
export function fromDomainError(error: DomainError): TRPCError {
  return new TRPCError({ code: error.code, message: error.message, cause: error });
}

/** Field path ("profile.name", or "" for the whole input) -> messages. */
export type FieldErrors = Record<string, string[]>;

function fieldErrorsOf(error: ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".");
    out[key] ??= [];
    out[key].push(issue.message);
  }
  return out;
}

export interface AppErrorData {
  code: DefaultErrorShape["data"]["code"];
  httpStatus: number;
  path?: string | undefined;
  fieldErrors?: FieldErrors | undefined;
  retryAfterMs?: number | undefined;
}

/**
 * The shape every error leaves the server in: a typed code, a human message, field errors
 * for bad input, and never a stack trace or an internal message.
 */
export function formatError(shape: DefaultErrorShape, error: TRPCError): DefaultErrorShape & { data: AppErrorData } {
  const zodError = error.cause instanceof ZodError ? error.cause : undefined;
  const domain = error.cause instanceof DomainError ? error.cause : undefined;
  const fieldErrors = error.code === "BAD_REQUEST" && zodError ? fieldErrorsOf(zodError) : domain?.details.fieldErrors;
  const retryAfterMs = domain?.details.retryAfterMs;

  let message = shape.message;
  if (error.code === "INTERNAL_SERVER_ERROR") message = "Something went wrong on our side. Please try again.";
  else if (fieldErrors && !domain) {
    message = Object.entries(fieldErrors)
      .map(([field, messages]) => (field ? `${field}: ${messages[0]}` : messages[0]))
      .join("; ");
  }

  return {
    message,
    code: shape.code,
    data: {
      code: shape.data.code,
      httpStatus: shape.data.httpStatus,
      path: shape.data.path,
      ...(fieldErrors ? { fieldErrors } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    },
  };
}
