import { describe, expect, it } from "vitest";
import { createAppStore } from "./index";
import { THEME_STORAGE_KEY, type Theme, type ThemeStorage } from "./theme";
import { selectTheme, themeSet, themeToggled } from "./uiSlice";

function memoryStorage(initial: Record<string, string> = {}): ThemeStorage & { values: Map<string, string> } {
  const values = new Map(Object.entries(initial));
  return {
    values,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
  };
}

/** Stands in for `<html data-theme>`: records what the page would show. */
function page() {
  const shown: Theme[] = [];
  return { shown, applyTheme: (theme: Theme) => void shown.push(theme), current: () => shown.at(-1) };
}

describe("theme", () => {
  it("follows the system preference when the user never chose", () => {
    const light = page();
    const dark = page();
    createAppStore({ storage: memoryStorage(), prefersDark: false, applyTheme: light.applyTheme });
    createAppStore({ storage: memoryStorage(), prefersDark: true, applyTheme: dark.applyTheme });
    expect(light.current()).toBe("light");
    expect(dark.current()).toBe("dark");
  });

  it("flips between light and dark on each toggle and shows it", () => {
    const view = page();
    const store = createAppStore({ storage: memoryStorage(), prefersDark: false, applyTheme: view.applyTheme });
    store.dispatch(themeToggled());
    expect(selectTheme(store.getState())).toBe("dark");
    expect(view.current()).toBe("dark");
    store.dispatch(themeToggled());
    expect(view.current()).toBe("light");
  });

  it("keeps the chosen theme across a reload, even against the system preference", () => {
    const storage = memoryStorage();
    const before = createAppStore({ storage, prefersDark: false });
    before.dispatch(themeToggled());

    const view = page();
    const after = createAppStore({ storage, prefersDark: false, applyTheme: view.applyTheme });
    expect(selectTheme(after.getState())).toBe("dark");
    expect(view.current()).toBe("dark");
  });

  it("does not store anything until the user chooses, so the system preference still applies", () => {
    const storage = memoryStorage();
    const store = createAppStore({ storage, prefersDark: true });
    store.dispatch(themeSet("dark"));
    expect(storage.values.has(THEME_STORAGE_KEY)).toBe(false);
    store.dispatch(themeSet("light"));
    expect(storage.values.get(THEME_STORAGE_KEY)).toBe("light");
  });

  it("ignores a stored value it does not understand", () => {
    const store = createAppStore({ storage: memoryStorage({ [THEME_STORAGE_KEY]: "sepia" }), prefersDark: true });
    expect(selectTheme(store.getState())).toBe("dark");
  });

  it("still toggles when storage is unavailable", () => {
    const broken: ThemeStorage = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    const view = page();
    const store = createAppStore({ storage: broken, prefersDark: false, applyTheme: view.applyTheme });
    store.dispatch(themeToggled());
    expect(view.current()).toBe("dark");
  });
});
