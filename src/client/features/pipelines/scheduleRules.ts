import type { ScheduleRules } from "../../../shared/schemas/pipelines";

/** What a schedule keeps (SCHEDULED_OUTPUT_RETENTION on the server), said before anything is deleted. */
export function retentionText(rules: ScheduleRules): string {
  const outputs = rules.keepOutputs === 1 ? "the last output" : `the last ${rules.keepOutputs} outputs`;
  return `A schedule keeps ${outputs} of its runs: when a new one is ready, older ones are deleted (unless another pipeline reads them). Outputs of runs started by hand are kept.`;
}
