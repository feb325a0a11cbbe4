import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { DraftState, DraftStore } from "./pipelineDraft";

/** The open builder's draft store; one per builder, handed down rather than imported. */
export const DraftContext = createContext<DraftStore | null>(null);

export function useDraftStore(): DraftStore {
  const store = useContext(DraftContext);
  if (!store) throw new Error("The pipeline builder's parts need <DraftContext> above them.");
  return store;
}

/** A slice of the draft, re-rendering only when that slice changes (select a value, not a new object). */
export function useDraft<T>(selector: (state: DraftState) => T): T {
  return useStore(useDraftStore(), selector);
}
