import type { Step } from "../../../../shared/schemas/pipelines";
import type { FieldErrors } from "../../../lib/api/apiError";
import type { ScopeColumn } from "../stepColumns";

/** What every step form gets: its step, the columns it can use, the server's errors about it. */
export interface StepFormProps<S extends Step> {
  step: S;
  scope: readonly ScopeColumn[];
  errors: FieldErrors | undefined;
  onChange(step: S): void;
}

export type StepOf<T extends Step["type"]> = Extract<Step, { type: T }>;
