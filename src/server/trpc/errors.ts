import { TRPCError } from "@trpc/server";
import type { DefaultErrorShape } from "@trpc/server/unstable-core-do-not-import";
import { ZodError } from "zod";
import { fieldIssueLine } from "../../shared/schemas/messages.js";
import { expectedFailureOf } from "../db/errors.js";
import { DomainError } from "../services/errors.js";

/** The tRPC error for a service's DomainError: same code, same message, same details. */
export function fromDomainError(error: DomainError): TRPCError {
  return new TRPCError({ code: error.code, message: error.message, cause: error });
}

/**
 * A failure that is not a bug, as the DomainError it means (a database that cannot be reached,
 * text it cannot store), or undefined for anything else.
 */
export function domainErrorOf(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  return expectedFailureOf(error);
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
  /** Set on unexpected errors: quote it to find the full error in the server's log. */
  requestId?: string | undefined;
}

/** What the caller is told when the message at hand came from some internal error. */
const GENERIC: Partial<Record<TRPCError["code"], string>> = {
  PARSE_ERROR: "The request could not be read.",
  BAD_REQUEST: "The request is not valid.",
  PAYLOAD_TOO_LARGE: "The request is too large.",
};

/**
 * Whether `error`'s message is one we wrote for the caller: a DomainError's, or a TRPCError
 * created with its own message (ours or tRPC's fixed wording). tRPC copies the message of an
 * error it wraps (a parser's, a stack overflow's); that one stays on the server.
 */
function messageIsOurs(error: TRPCError): boolean {
  const cause = error.cause;
  if (!cause || cause instanceof DomainError || cause instanceof TRPCError) return true;
  return error.message !== cause.message;
}

/**
 * The shape every error leaves the server in: a typed code, a human message, field errors
 * for bad input, and never a stack trace or an internal message.
 */
export function formatError(
  shape: DefaultErrorShape,
  error: TRPCError,
  requestId?: string,
): DefaultErrorShape & { data: AppErrorData } {
  const zodError = error.cause instanceof ZodError ? error.cause : undefined;
  const domain = error.cause instanceof DomainError ? error.cause : undefined;
  const fieldErrors = error.code === "BAD_REQUEST" && zodError ? fieldErrorsOf(zodError) : domain?.details.fieldErrors;
  const retryAfterMs = domain?.details.retryAfterMs;
  const internal = error.code === "INTERNAL_SERVER_ERROR";

  let message = shape.message;
  if (internal) message = requestId ? `Internal error (request ${requestId}).` : "Internal error.";
  else if (fieldErrors && !domain) {
    message = Object.entries(fieldErrors)
      .map(([field, messages]) => fieldIssueLine(field, messages[0] ?? ""))
      .join("; ");
  } else if (!messageIsOurs(error) || error.message === error.code) {
    // tRPC's own errors raised without words (a body over the limit) carry just their code.
    message = GENERIC[error.code] ?? "The request failed.";
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
      ...(internal && requestId ? { requestId } : {}),
    },
  };
}
