import { createStore, type StoreApi } from "zustand/vanilla";
import type { Step } from "../../../shared/schemas/pipelines";

/** A step in the editor: the key keeps its form (focus, typing) attached to it across reorders. */
export interface DraftStep {
  key: string;
  step: Step;
}

export interface PipelineDraft {
  name: string;
  datasetId: string;
  steps: DraftStep[];
}

export interface DraftState extends PipelineDraft {
  /** What the server holds, to tell saved from unsaved; null for a pipeline never saved. */
  saved: string | null;
  /** Replaces the draft, e.g. with the pipeline as loaded or just saved. */
  load(pipeline: { name: string; datasetId: string; steps: readonly Step[] }, saved: boolean): void;
  /** Records `sent` (a state taken when the save was sent) as what the server now holds. */
  markSaved(sent: PipelineDraft): void;
  setName(name: string): void;
  setDataset(datasetId: string): void;
  /** Appends a step; returns its key (to focus its form). */
  addStep(step: Step): string;
  removeStep(key: string): void;
  /** Moves a step one place up (-1) or down (+1); nothing at either end. */
  moveStep(key: string, offset: -1 | 1): void;
  updateStep(key: string, step: Step): void;
}

export type DraftStore = StoreApi<DraftState>;

/** The draft as the server would take it. */
export function draftSteps(state: Pick<PipelineDraft, "steps">): Step[] {
  return state.steps.map((entry) => entry.step);
}

function fingerprint(draft: PipelineDraft): string {
  return JSON.stringify([draft.name.trim(), draft.datasetId, draftSteps(draft)]);
}

export function isDirty(state: DraftState): boolean {
  return state.saved !== fingerprint(state);
}

/**
 * The pipeline builder's draft: a zustand store per open builder (not a module singleton), so
 * two builders, or a builder and a test, never share a draft. Step keys are local counters:
 * they only need to be unique within one draft.
 */
export function createDraftStore(initial: Partial<PipelineDraft> = {}): DraftStore {
  let counter = 0;
  const nextKey = () => `step-${++counter}`;
  const keyed = (steps: readonly Step[]) => steps.map((step) => ({ key: nextKey(), step }));

  return createStore<DraftState>()((set, get) => ({
    name: initial.name ?? "",
    datasetId: initial.datasetId ?? "",
    steps: initial.steps ?? [],
    saved: null,
    load(pipeline, saved) {
      const draft = { name: pipeline.name, datasetId: pipeline.datasetId, steps: keyed(pipeline.steps) };
      set({ ...draft, saved: saved ? fingerprint(draft) : null });
    },
    markSaved(sent) {
      set({ saved: fingerprint(sent) });
    },
    setName(name) {
      set({ name });
    },
    setDataset(datasetId) {
      set({ datasetId });
    },
    addStep(step) {
      const entry = { key: nextKey(), step };
      set({ steps: [...get().steps, entry] });
      return entry.key;
    },
    removeStep(key) {
      set({ steps: get().steps.filter((entry) => entry.key !== key) });
    },
    moveStep(key, offset) {
      const steps = [...get().steps];
      const from = steps.findIndex((entry) => entry.key === key);
      const to = from + offset;
      if (from < 0 || to < 0 || to >= steps.length) return;
      const [moved] = steps.splice(from, 1);
      if (moved) steps.splice(to, 0, moved);
      set({ steps });
    },
    updateStep(key, step) {
      set({ steps: get().steps.map((entry) => (entry.key === key ? { key, step } : entry)) });
    },
  }));
}
