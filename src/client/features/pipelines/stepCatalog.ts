import type { Step, StepType } from "../../../shared/schemas/pipelines";
import { rulesOf, stepRules } from "../../../shared/steps";

/**
 * What the builder offers for each kind of step. The rules themselves are the server's own, in
 * src/shared/steps (one module per step type); this only shapes them for the builder's menus.
 */
export {
  defaultAggregateName,
  functionOptions,
  isAggregateFunction,
} from "../../../shared/steps/aggregate";
export { isOperator, operatorOptions, operatorsFor, takesValue } from "../../../shared/steps/filter";

export const stepTypeOptions = (Object.keys(stepRules) as StepType[]).map((type) => ({
  value: type,
  label: stepRules[type].label,
}));

export function stepTypeLabel(type: StepType): string {
  return stepRules[type].label;
}

export function isStepType(value: string): value is StepType {
  return Object.hasOwn(stepRules, value);
}

/** A new step of `type`, filled in with the first column at that point so it is nearly valid at once. */
export function newStep(type: StepType, columns: readonly string[]): Step {
  return stepRules[type].blank(columns);
}

/** One line saying what a step does, for its heading: "amount > 10", "by city: sum_amount = sum(amount)". */
export function describeStep(step: Step): string {
  return rulesOf(step).describe(step);
}
