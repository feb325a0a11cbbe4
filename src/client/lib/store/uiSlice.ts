import { createSlice, type PayloadAction } from "@reduxjs/toolkit";
import { otherTheme, type Theme } from "./theme";

export interface UiState {
  theme: Theme;
}

const initialState: UiState = { theme: "light" };

export const uiSlice = createSlice({
  name: "ui",
  initialState,
  reducers: {
    themeToggled(state) {
      state.theme = otherTheme(state.theme);
    },
    themeSet(state, action: PayloadAction<Theme>) {
      state.theme = action.payload;
    },
  },
  selectors: {
    selectTheme: (state) => state.theme,
  },
});

export const { themeToggled, themeSet } = uiSlice.actions;
export const { selectTheme } = uiSlice.selectors;
