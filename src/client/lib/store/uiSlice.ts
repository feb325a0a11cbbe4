import { otherTheme, type Theme } from "./theme";

export interface UiState {
  theme: Theme;
}

const initialState: UiState = { theme: "light" };

export const themeToggled = () => ({ type: "ui/themeToggled" as const });
export const themeSet = (theme: Theme) => ({ type: "ui/themeSet" as const, theme });

export type UiAction = ReturnType<typeof themeToggled | typeof themeSet>;

/** The next UI state; the same object when nothing changes. */
export function uiReducer(state: UiState = initialState, action: { type: string }): UiState {
  const act = action as UiAction;
  switch (act.type) {
    case "ui/themeToggled":
      return { ...state, theme: otherTheme(state.theme) };
    case "ui/themeSet":
      return state.theme === act.theme ? state : { ...state, theme: act.theme };
    default:
      return state;
  }
}

export const selectTheme = (state: { ui: UiState }) => state.ui.theme;
