import type { StepModule } from "./types.js";

export const renameStep: StepModule<"rename"> = {
  compile(step, scope) {
    const column = scope.find(step.from, "from");
    scope.ensureNew(
      step.to,
      "to",
      scope.columns.filter((c) => c !== column),
    );
    // Names are metadata: the SQL stays as it is.
    return { columns: scope.columns.map((c) => (c === column ? { ...c, name: step.to } : c)) };
  },
};
