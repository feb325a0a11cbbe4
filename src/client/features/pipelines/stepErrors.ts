import { type ApiError, describeApiError, type FieldErrors } from "../../lib/api/apiError";

export interface BuilderErrors {
  /** Errors of the builder's own fields ("name", "datasetId"). */
  byField: FieldErrors;
  /** Step key -> that step's errors, keyed by the field within the step ("column", "aggregations.0.as"). */
  byStep: Record<string, FieldErrors>;
  /** One line for the whole form: what neither a field nor a step shows, or a pointer to them. */
  summary: string | null;
  /** True when fields and steps show everything the server said, so the summary only points at them. */
  placed: boolean;
}

export const NO_BUILDER_ERRORS: BuilderErrors = { byField: {}, byStep: {}, summary: null, placed: true };

const STEP_FIELD = /^steps\.(\d+)(?:\.(.*))?$/;

/**
 * Places a failed save, run or preview on the builder. The server keys a step's errors like
 * the input (`steps.2.column`); `stepKeys` are the keys of the steps that were sent, in the
 * order sent, so an answer that arrives after the user reordered still lands on the step it
 * is about rather than on whatever step now sits at that index.
 */
export function builderErrors(
  error: ApiError | null | undefined,
  stepKeys: readonly string[],
  fields: readonly string[] = ["name", "datasetId"],
): BuilderErrors {
  if (!error) return NO_BUILDER_ERRORS;
  const described = describeApiError(error);
  const byField: FieldErrors = {};
  const byStep: Record<string, FieldErrors> = {};
  const elsewhere: string[] = [];
  for (const [field, messages] of Object.entries(described.fieldErrors)) {
    const match = STEP_FIELD.exec(field);
    const key = match ? stepKeys[Number(match[1])] : undefined;
    if (key !== undefined) {
      const within = match?.[2] ?? "";
      byStep[key] = { ...byStep[key], [within]: [...(byStep[key]?.[within] ?? []), ...messages] };
    } else if (fields.includes(field)) byField[field] = messages;
    else elsewhere.push(...messages.map((message) => (field ? `${field}: ${message}` : message)));
  }
  const placedAny = Object.keys(byStep).length > 0 || Object.keys(byField).length > 0;
  let summary: string | null;
  if (elsewhere.length > 0) summary = elsewhere.join(" ");
  else if (!placedAny) summary = described.message;
  else summary = Object.keys(byStep).length > 0 ? "Check the steps marked below." : "Check the fields marked below.";
  return { byField, byStep, summary, placed: placedAny && elsewhere.length === 0 };
}

const PART_NAMES: Record<string, string> = {
  aggregations: "Aggregation",
  by: "Sort key",
  groupBy: "Group by",
  on: "Join columns",
  rename: "Renamed column",
};

/**
 * A step's errors as lines to read on its card. Messages already name the column at fault;
 * a position in a list ("aggregations.1.as") is said the way the form shows it.
 */
export function stepErrorLines(errors: FieldErrors | undefined): string[] {
  if (!errors) return [];
  const lines = Object.entries(errors).flatMap(([field, messages]) => {
    const [part, index] = field.split(".");
    const name = part ? PART_NAMES[part] : undefined;
    const prefix = name && index !== undefined && /^\d+$/.test(index) ? `${name} ${Number(index) + 1}: ` : "";
    return messages.map((message) => `${prefix}${message}`);
  });
  return [...new Set(lines)];
}

/** Whether the server found fault with `field` of a step (or anything below it, e.g. `by.0.column` for `by.0`). */
export function fieldHasError(errors: FieldErrors | undefined, field: string): boolean {
  if (!errors) return false;
  return Object.keys(errors).some((key) => key === field || key.startsWith(`${field}.`));
}
