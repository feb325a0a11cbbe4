import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { AppDispatch, AppStore, RootState } from "./index";

/** The app's store, provided once at the root (app/Providers.tsx). */
export const StoreContext = createContext<AppStore | null>(null);

function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error("useAppSelector/useAppDispatch need the StoreContext provider (app/Providers.tsx).");
  return store;
}

/** Re-renders when the selected value changes (compared with Object.is). */
export function useAppSelector<T>(selector: (state: RootState) => T): T {
  return useStore(useAppStore(), selector);
}

export function useAppDispatch(): AppDispatch {
  return useAppStore().dispatch;
}
