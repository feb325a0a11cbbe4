import { create } from "zustand";

/** Background work this browser started and is waiting on. */
export type Watched =
  | { kind: "payment"; id: string; label: string }
  | { kind: "import"; id: string; label: string; datasetId: string }
  | { kind: "run"; id: string; label: string };

export interface Toast {
  id: number;
  tone: "up" | "down" | "neutral";
  message: string;
  /** Where to see the result. */
  link?: { to: string; label: string };
}

/** Bounds: a burst of work cannot grow the page without limit. */
export const MAX_WATCHED = 20;
export const MAX_TOASTS = 4;

interface ActivityState {
  watched: Watched[];
  toasts: Toast[];
  watch: (item: Watched) => void;
  /** The work ended: stop following it and say how it went. */
  finish: (item: Watched, toast: Omit<Toast, "id"> | null) => void;
  dismiss: (id: number) => void;
}

let nextToastId = 1;

export const useActivity = create<ActivityState>()((set) => ({
  watched: [],
  toasts: [],
  watch: (item) =>
    set((state) =>
      state.watched.some((w) => w.kind === item.kind && w.id === item.id)
        ? state
        : { watched: [...state.watched, item].slice(-MAX_WATCHED) },
    ),
  finish: (item, toast) =>
    set((state) => ({
      watched: state.watched.filter((w) => !(w.kind === item.kind && w.id === item.id)),
      toasts: toast ? [...state.toasts, { ...toast, id: nextToastId++ }].slice(-MAX_TOASTS) : state.toasts,
    })),
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
}));

/** For code outside React (a mutation's onSuccess): follow this work and toast when it ends. */
export function watchActivity(item: Watched): void {
  useActivity.getState().watch(item);
}
