import { createStore, type StoreApi } from "zustand/vanilla";
import { type SessionAction, type SessionState, sessionReducer } from "../session/sessionSlice";
import { initialTheme, readStoredTheme, storeTheme, type Theme, type ThemeStorage } from "./theme";
import { selectTheme, type UiAction, type UiState, uiReducer } from "./uiSlice";

export interface RootState {
  ui: UiState;
  session: SessionState;
}

export type AppAction = SessionAction | UiAction;

/**
 * The app's state as Redux had it (pure reducers, actions, selectors), kept in a zustand store:
 * the same model without Redux Toolkit, immer and react-redux in the first download.
 */
function rootReducer(state: RootState, action: AppAction): RootState {
  const ui = uiReducer(state.ui, action);
  const session = sessionReducer(state.session, action);
  return ui === state.ui && session === state.session ? state : { ui, session };
}

/** What the store needs from the browser, passed in so tests run in Node without a DOM. */
export interface StoreEnvironment {
  storage?: ThemeStorage | undefined;
  prefersDark: boolean;
  /** Makes the theme visible, e.g. `data-theme` on `<html>`. */
  applyTheme?: (theme: Theme) => void;
}

export type AppDispatch = (action: AppAction) => void;
export type AppStore = StoreApi<RootState> & { dispatch: AppDispatch };

export function createAppStore(env: StoreEnvironment): AppStore {
  const theme = initialTheme(readStoredTheme(env.storage), env.prefersDark);
  const state = createStore<RootState>()(() => ({
    ui: { theme },
    session: sessionReducer(undefined, { type: "init" }),
  }));
  const store: AppStore = Object.assign(state, {
    dispatch: (action: AppAction) => state.setState(rootReducer(state.getState(), action), true),
  });
  env.applyTheme?.(theme);
  persistTheme(store, env);
  return store;
}

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
