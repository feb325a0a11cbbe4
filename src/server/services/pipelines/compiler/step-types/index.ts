import type { StepType } from "../../../../../shared/schemas/pipelines.js";
import { aggregateStep } from "./aggregate.js";
import { dedupeStep } from "./dedupe.js";
import { deriveStep } from "./derive.js";
import { filterStep } from "./filter.js";
import { joinStep } from "./join.js";
import { limitStep } from "./limit.js";
import { renameStep } from "./rename.js";
import { selectStep } from "./select.js";
import { sortStep } from "./sort.js";
import type { StepModule } from "./types.js";

/** Every step type's SQL, by type. */
export const stepModules: { [T in StepType]: StepModule<T> } = {
  filter: filterStep,
  select: selectStep,
  rename: renameStep,
  derive: deriveStep,
  aggregate: aggregateStep,
  sort: sortStep,
  dedupe: dedupeStep,
  limit: limitStep,
  join: joinStep,
};
