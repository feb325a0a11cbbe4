import type { Step } from "../../../shared/schemas/pipelines.js";
import { databaseError } from "../../db/errors.js";
import { DomainError } from "../errors.js";
import { joinRowLimitStep } from "./compiler/step-types/join.js";

/**
 * Database errors a pipeline's own steps and data cause, said in the user's terms. The
 * database's text never reaches the user: it names internal tables (`ds_…`) and SQL they
 * never wrote.
 */

/** Data exceptions (SQLSTATE class 22) the expression language can run into. */
const DATA_PROBLEMS = new Map<string, string>([
  ["22003", "A number is out of range."],
  ["22008", "A date or time is out of range."],
  ["22011", "substr() was given a negative length."],
  ["22012", "Division by zero."],
]);
const OTHER_DATA_PROBLEM = "A value could not be computed from this data.";

/** 57014 is any canceled statement; the message says whether statement_timeout did it. */
function isStatementTimeout(error: unknown): boolean {
  const cause = databaseError(error);
  return cause?.code === "57014" && /statement timeout/i.test(cause.message);
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function previewTooSlow(timeoutMs: number): string {
  return `The preview took longer than its time limit (${seconds(timeoutMs)}, PIPELINE_PREVIEW_TIMEOUT_MS); add a filter or a limit.`;
}
const TOO_COMPLEX = "The steps are too complex for the database; remove or combine some of them.";

interface Suspect {
  index: number;
  type: Step["type"];
  field: string;
}

/**
 * The steps that can raise `code` while the statement runs. One statement computes every step,
 * so the database cannot say which one failed: derive steps compute expressions, and sums can
 * overflow; the rest only move rows about.
 */
function suspectsOf(steps: readonly Step[], code: string): Suspect[] {
  return steps.flatMap((step, index): Suspect[] => {
    if (step.type === "derive") return [{ index, type: step.type, field: "expression" }];
    if (step.type === "aggregate" && code === "22003" && step.aggregations.some((a) => a.function === "sum")) {
      return [{ index, type: step.type, field: "aggregations" }];
    }
    return [];
  });
}

/** "Step 2 (derive)", "Step 1 or 3 (derive)", "Step 1 (derive) or 4 (aggregate)". */
function nameSteps(suspects: readonly Suspect[]): string {
  const sameType = suspects.every((s) => s.type === suspects[0]?.type);
  const names = suspects.map((s) => (sameType ? `${s.index + 1}` : `${s.index + 1} (${s.type})`));
  const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : (names[0] ?? "");
  return sameType ? `Step ${list} (${suspects[0]?.type})` : `Step ${list}`;
}

interface DataProblem {
  message: string;
  fieldErrors: Record<string, string[]>;
}

/** A class 22 error, pinned on the steps that can have caused it; undefined for any other error. */
function dataProblemOf(error: unknown, steps: readonly Step[]): DataProblem | undefined {
  const code = databaseError(error)?.code;
  if (!code?.startsWith("22")) return undefined;
  const problem = DATA_PROBLEMS.get(code) ?? OTHER_DATA_PROBLEM;
  const suspects = suspectsOf(steps, code);
  if (suspects.length === 0) return { message: `The steps could not be computed: ${problem}`, fieldErrors: {} };
  return {
    message: `${nameSteps(suspects)}: ${problem}`,
    fieldErrors: Object.fromEntries(suspects.map((s) => [`steps.${s.index}.${s.field}`, [problem]])),
  };
}

/** A join that made more rows than PIPELINE_JOIN_MAX_ROWS, pinned on its step; undefined for any other error. */
function joinTooBig(error: unknown, joinMaxRows: number, previewRows?: number): DataProblem | undefined {
  const index = joinRowLimitStep(error);
  if (index === undefined) return undefined;
  const rows = (n: number) => n.toLocaleString("en");
  const why =
    "a value repeated on both sides multiplies rows. Join on columns whose values are unique in the other data set, or filter first.";
  const problem =
    previewRows !== undefined && previewRows < joinMaxRows
      ? `The join makes more than ${rows(previewRows)} rows, the most a preview joins (a run may make ${rows(joinMaxRows)}, PIPELINE_JOIN_MAX_ROWS): ${why}`
      : `The join makes more than ${rows(joinMaxRows)} rows (PIPELINE_JOIN_MAX_ROWS): ${why}`;
  return { message: `Step ${index + 1} (join): ${problem}`, fieldErrors: { [`steps.${index}.on`]: [problem] } };
}

/** A preview's database error as the typed error the user sees, or undefined when it is not theirs to fix. */
export function previewFailure(
  error: unknown,
  steps: readonly Step[],
  { timeoutMs, joinMaxRows, joinRows }: { timeoutMs: number; joinMaxRows: number; joinRows: number },
): DomainError | undefined {
  const data = joinTooBig(error, joinMaxRows, joinRows) ?? dataProblemOf(error, steps);
  if (data) return new DomainError("BAD_REQUEST", data.message, { fieldErrors: data.fieldErrors });
  const code = databaseError(error)?.code;
  // 57014: the preview's statement timeout (nothing else cancels a preview).
  if (code === "57014") {
    return new DomainError("BAD_REQUEST", previewTooSlow(timeoutMs));
  }
  if (code?.startsWith("54")) return new DomainError("BAD_REQUEST", TOO_COMPLEX);
  return undefined;
}

/**
 * Errors a retry cannot fix: bad data for a cast or a computation (class 22), constraint (23) or
 * statement problems (42), limits (54), a statement timeout. Lost connections and the like retry.
 */
export function isPermanent(error: unknown): boolean {
  const code = databaseError(error)?.code;
  if (!code) return false;
  return ["22", "23", "42", "54"].includes(code.slice(0, 2)) || code === "57014";
}

/** What a run that failed for good (see `isPermanent`) tells its owner. */
export function runFailureMessage(
  error: unknown,
  steps: readonly Step[],
  { runTimeoutMs: timeoutMs, joinMaxRows }: { runTimeoutMs: number; joinMaxRows: number },
): string {
  const data = joinTooBig(error, joinMaxRows) ?? dataProblemOf(error, steps);
  if (data) return `The run failed: ${data.message}`;
  const code = databaseError(error)?.code ?? "";
  if (isStatementTimeout(error)) {
    return `The run took longer than its time limit (${seconds(timeoutMs)}, PIPELINE_RUN_TIMEOUT_MS) and was stopped.`;
  }
  if (code === "57014") return "The run took longer than the database allows and was stopped.";
  if (code.startsWith("54")) return `The run failed: ${TOO_COMPLEX}`;
  // 42P01: the input's table is gone (its data set was deleted as the run began).
  if (code === "42P01") return "The run failed: its data set no longer exists.";
  return "The run failed: the database could not compute this pipeline's steps.";
}
