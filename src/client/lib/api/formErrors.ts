import { type ApiError, describeApiError } from "./apiError";

export interface FormErrors {
  /** Messages to show next to each field the form has. */
  byField: Record<string, string[]>;
  /** One line above the form: what the user must know that no field shows; null when all is said by the fields. */
  summary: string | null;
  /** Set when the server said to wait (TOO_MANY_REQUESTS). */
  retryAfterMs: number | null;
}

const NO_FORM_ERRORS: FormErrors = { byField: {}, summary: null, retryAfterMs: null };

const CHECK_FIELDS = "Please check the fields marked below.";

/**
 * Places a failed call's field errors next to the form's fields. Errors for fields the
 * form does not show (or for the whole input, key "") go to the summary, so nothing the
 * server said is lost. A refusal worded for people (a taken email) keeps its message unless
 * a field already shows it; plain validation failures only point at the fields.
 */
export function formErrors(error: ApiError | null | undefined, fields: readonly string[]): FormErrors {
  if (!error) return NO_FORM_ERRORS;
  const described = describeApiError(error);
  const byField: Record<string, string[]> = {};
  const elsewhere: string[] = [];
  for (const [field, messages] of Object.entries(described.fieldErrors)) {
    if (fields.includes(field)) byField[field] = messages;
    else elsewhere.push(...messages.map((message) => (field ? `${field}: ${message}` : message)));
  }
  let summary: string | null;
  if (isValidationFailure(error)) summary = elsewhere.length > 0 ? elsewhere.join(" ") : CHECK_FIELDS;
  else if (!Object.values(byField).some((messages) => messages.includes(described.message))) {
    summary = described.message;
  } else summary = elsewhere.length > 0 ? elsewhere.join(" ") : null;
  return { byField, summary, retryAfterMs: described.retryAfterMs };
}

/**
 * The server words a domain refusal for people; for bad input it lists "field: message"
 * pairs, which the fields already show (src/server/trpc/errors.ts).
 */
function isValidationFailure(error: ApiError): boolean {
  if (error.data?.code !== "BAD_REQUEST") return false;
  const fieldErrors = error.data.fieldErrors ?? {};
  const listed = Object.entries(fieldErrors).map(([field, messages]) =>
    field ? `${field}: ${messages[0]}` : messages[0],
  );
  return error.message === listed.join("; ");
}
