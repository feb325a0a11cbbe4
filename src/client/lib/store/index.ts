import { combineReducers, configureStore } from "@reduxjs/toolkit";
import { sessionSlice } from "../session/sessionSlice";
import { initialTheme, readStoredTheme, storeTheme, type Theme, type ThemeStorage } from "./theme";
import { selectTheme, uiSlice } from "./uiSlice";

const rootReducer = combineReducers({
  [uiSlice.reducerPath]: uiSlice.reducer,
  [sessionSlice.reducerPath]: sessionSlice.reducer,
});

export type RootState = ReturnType<typeof rootReducer>;

/** What the store needs from the browser, passed in so tests run in Node without a DOM. */
export interface StoreEnvironment {
  storage?: ThemeStorage | undefined;
  prefersDark: boolean;
  /** Makes the theme visible, e.g. `data-theme` on `<html>`. */
  applyTheme?: (theme: Theme) => void;
}

export function createAppStore(env: StoreEnvironment) {
  const theme = initialTheme(readStoredTheme(env.storage), env.prefersDark);
  const store = configureStore({ reducer: rootReducer, preloadedState: { ui: { theme } } });
  env.applyTheme?.(theme);
  persistTheme(store, env);
  return store;
}

export type AppStore = ReturnType<typeof createAppStore>;
export type AppDispatch = AppStore["dispatch"];

/**
 * Saves and applies the theme whenever it changes. Only a change is saved, so a user who
 * never chose keeps following the system preference.
 */
function persistTheme(
  store: { getState(): RootState; subscribe(listener: () => void): () => void },
  env: StoreEnvironment,
) {
  let current = selectTheme(store.getState());
  return store.subscribe(() => {
    const next = selectTheme(store.getState());
    if (next === current) return;
    current = next;
    storeTheme(env.storage, next);
    env.applyTheme?.(next);
  });
}
