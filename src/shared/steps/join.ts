import type { ColumnType } from "../schemas/pipelines.js";
import { findColumn, listNames, type ScopeColumn, type StepOf, type StepRules } from "./types.js";

type JoinStep = StepOf<"join">;

/**
 * Why two columns cannot be joined on, or null when they can: the same type, or two numbers
 * (an integer key matches the equal number).
 */
export function joinKeyProblem(
  left: { name: string; type: ColumnType },
  right: { name: string; type: ColumnType },
): string | null {
  if (left.type === right.type) return null;
  const numeric = (type: ColumnType) => type === "integer" || type === "number";
  if (numeric(left.type) && numeric(right.type)) return null;
  return `"${left.name}" is ${left.type} but "${right.name}" in the other data set is ${right.type}: join on columns of the same type.`;
}

/**
 * The other data set's columns as they come out of the join, each with the name it had there
 * (`from`). Its join columns are left out: on every joined row they equal this side's. The rest
 * are renamed as the step says, or else given the step's prefix.
 */
export function joinedColumns<C extends { name: string }>(
  right: readonly C[],
  step: Pick<JoinStep, "on" | "prefix" | "rename">,
): Array<C & { from: string }> {
  const keys = new Set(step.on.map((pair) => pair.right));
  return right
    .filter((column) => !keys.has(column.name))
    .map((column) => {
      const renamed = step.rename.find((r) => r.from === column.name)?.to.trim();
      return { ...column, from: column.name, name: renamed || `${step.prefix}${column.name}` };
    });
}

/** The first output name the two sides share, or among the other side's new names, with how to fix it. */
export function joinClash(
  left: readonly { name: string }[],
  joined: readonly { name: string; from: string }[],
): { column: string; from: string; message: string } | null {
  const seen = new Set(left.map((column) => column.name));
  for (const column of joined) {
    if (seen.has(column.name)) {
      return {
        column: column.name,
        from: column.from,
        message: `A column named "${column.name}" is on both sides: rename "${column.from}" of the other data set or give its columns a prefix.`,
      };
    }
    seen.add(column.name);
  }
  return null;
}

export const joinRules: StepRules<JoinStep> = {
  label: "Join a data set",
  blank: (columns) => ({
    type: "join",
    datasetId: "",
    kind: "inner",
    on: [{ left: columns[0] ?? "", right: "" }],
    prefix: "",
    rename: [],
  }),
  describe: (step) => {
    const pairs = step.on.map((pair) => `${pair.left || "?"} = ${pair.right || "?"}`);
    return `${step.kind} join on ${listNames(pairs)}`;
  },
  columnsAfter: (columns, step, context) => {
    const right = context.datasetColumns(step.datasetId);
    if (!right) return [...columns];
    const added: ScopeColumn[] = joinedColumns(right, step)
      .filter((column) => !findColumn(columns, column.name))
      .map(({ name, type }) => ({ name, type }));
    return [...columns, ...added];
  },
};
