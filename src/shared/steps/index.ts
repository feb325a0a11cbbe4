import type { Step, StepType } from "../schemas/pipelines.js";
import { aggregateRules } from "./aggregate.js";
import { dedupeRules } from "./dedupe.js";
import { deriveRules } from "./derive.js";
import { filterRules } from "./filter.js";
import { joinRules } from "./join.js";
import { limitRules } from "./limit.js";
import { renameRules } from "./rename.js";
import { selectRules } from "./select.js";
import { sortRules } from "./sort.js";
import type { ScopeColumn, StepContext, StepOf, StepRules } from "./types.js";

/** Every step type's shared rules, by type: a new step type cannot go without them. */
export const stepRules: { [T in StepType]: StepRules<StepOf<T>> } = {
  filter: filterRules,
  select: selectRules,
  rename: renameRules,
  derive: deriveRules,
  aggregate: aggregateRules,
  sort: sortRules,
  dedupe: dedupeRules,
  limit: limitRules,
  join: joinRules,
};

export const rulesOf = <S extends Step>(step: S) => stepRules[step.type] as unknown as StepRules<S>;

/** `result[i]` is what step i sees; the last entry is the output. */
export function columnsAtEachStep(
  input: readonly ScopeColumn[],
  steps: readonly Step[],
  context: StepContext,
): ScopeColumn[][] {
  const scopes: ScopeColumn[][] = [];
  let columns: ScopeColumn[] = input.map(({ name, type }) => ({ name, type }));
  for (const step of steps) {
    scopes.push(columns);
    columns = rulesOf(step).columnsAfter(columns, step, context);
  }
  scopes.push(columns);
  return scopes;
}

export type { ScopeColumn, ScopeType, StepContext, StepOf, StepRules } from "./types.js";
