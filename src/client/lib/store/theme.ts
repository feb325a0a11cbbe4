export type Theme = "light" | "dark";

export const THEME_STORAGE_KEY = "gantry.theme";

/** The part of `Storage` the theme needs; tests pass a Map-backed fake. */
export interface ThemeStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function isTheme(value: unknown): value is Theme {
  return value === "light" || value === "dark";
}

export function otherTheme(theme: Theme): Theme {
  return theme === "dark" ? "light" : "dark";
}

/**
 * The theme the user chose earlier, or null if they never chose one. Storage can throw
 * (blocked cookies, private modes) or hold a stale value; neither may break the page.
 */
export function readStoredTheme(storage: ThemeStorage | undefined): Theme | null {
  try {
    const value = storage?.getItem(THEME_STORAGE_KEY);
    return isTheme(value) ? value : null;
  } catch {
    return null;
  }
}

/** Best effort: if storage is unavailable the choice lasts until the page is reloaded. */
export function storeTheme(storage: ThemeStorage | undefined, theme: Theme): void {
  try {
    storage?.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Nothing to do: the theme still applies to this page.
  }
}

/** A stored choice wins; otherwise follow the operating system's preference. */
export function initialTheme(stored: Theme | null, prefersDark: boolean): Theme {
  return stored ?? (prefersDark ? "dark" : "light");
}
