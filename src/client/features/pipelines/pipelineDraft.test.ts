import { describe, expect, it } from "vitest";
import type { Step } from "../../../shared/schemas/pipelines";
import { createDraftStore, draftSteps, isDirty } from "./pipelineDraft";

const filter: Step = { type: "filter", column: "amount", operator: "gt", value: "10" };
const limit: Step = { type: "limit", count: 5 };
const sort: Step = { type: "sort", by: [{ column: "city", direction: "asc" }] };

const types = (store: ReturnType<typeof createDraftStore>) => draftSteps(store.getState()).map((step) => step.type);

describe("the pipeline draft store", () => {
  it("adds steps at the end, each under its own key", () => {
    const store = createDraftStore();
    const first = store.getState().addStep(filter);
    const second = store.getState().addStep(limit);
    expect(types(store)).toEqual(["filter", "limit"]);
    expect(first).not.toBe(second);
    expect(store.getState().steps.map((entry) => entry.key)).toEqual([first, second]);
  });

  it("moves a step up and down, and does nothing past either end", () => {
    const store = createDraftStore();
    const a = store.getState().addStep(filter);
    store.getState().addStep(sort);
    const c = store.getState().addStep(limit);

    store.getState().moveStep(c, -1);
    expect(types(store)).toEqual(["filter", "limit", "sort"]);
    store.getState().moveStep(a, 1);
    expect(types(store)).toEqual(["limit", "filter", "sort"]);
    store.getState().moveStep(c, -1);
    expect(types(store)).toEqual(["limit", "filter", "sort"]);
    store.getState().moveStep("no-such-step", 1);
    expect(types(store)).toEqual(["limit", "filter", "sort"]);
  });

  it("keeps a step's key when it moves, so its form stays attached to it", () => {
    const store = createDraftStore();
    store.getState().addStep(filter);
    const key = store.getState().addStep(limit);
    store.getState().moveStep(key, -1);
    expect(store.getState().steps[0]).toEqual({ key, step: limit });
  });

  it("edits one step and leaves the others alone", () => {
    const store = createDraftStore();
    const a = store.getState().addStep(filter);
    const b = store.getState().addStep(limit);
    store.getState().updateStep(b, { type: "limit", count: 50 });
    expect(draftSteps(store.getState())).toEqual([filter, { type: "limit", count: 50 }]);
    expect(store.getState().steps.map((entry) => entry.key)).toEqual([a, b]);
  });

  it("removes the step asked for", () => {
    const store = createDraftStore();
    store.getState().addStep(filter);
    const b = store.getState().addStep(sort);
    store.getState().addStep(limit);
    store.getState().removeStep(b);
    expect(types(store)).toEqual(["filter", "limit"]);
  });

  it("tells a saved draft from an edited one", () => {
    const store = createDraftStore();
    expect(isDirty(store.getState())).toBe(true);
    store.getState().load({ name: "Big spenders", datasetId: "d1", steps: [filter] }, true);
    expect(isDirty(store.getState())).toBe(false);

    store.getState().setName("Big spenders by city");
    expect(isDirty(store.getState())).toBe(true);
    store.getState().markSaved(store.getState());
    expect(isDirty(store.getState())).toBe(false);

    const key = store.getState().steps[0]?.key ?? "";
    store.getState().updateStep(key, { ...filter, value: "20" });
    expect(isDirty(store.getState())).toBe(true);
    store.getState().updateStep(key, filter);
    expect(isDirty(store.getState())).toBe(false);
  });

  it("stays unsaved when the draft changed while the save was on its way", () => {
    const store = createDraftStore();
    store.getState().setName("First");
    const sent = store.getState();
    store.getState().setName("Second");
    store.getState().markSaved(sent);
    expect(isDirty(store.getState())).toBe(true);
  });

  it("loads a pipeline as unsaved when it is a copy to be saved anew", () => {
    const store = createDraftStore();
    store.getState().load({ name: "Copy", datasetId: "d1", steps: [filter, limit] }, false);
    expect(types(store)).toEqual(["filter", "limit"]);
    expect(isDirty(store.getState())).toBe(true);
  });

  it("gives each store its own draft", () => {
    const one = createDraftStore();
    const two = createDraftStore();
    one.getState().addStep(filter);
    expect(two.getState().steps).toEqual([]);
  });
});
