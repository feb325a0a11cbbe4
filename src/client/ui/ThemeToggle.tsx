import { useAppDispatch, useAppSelector } from "../lib/store/hooks";
import { selectTheme, themeToggled } from "../lib/store/uiSlice";

/** A toggle button: the name stays "Dark theme" and `aria-pressed` says whether it is on. */
export function ThemeToggle() {
  const theme = useAppSelector(selectTheme);
  const dispatch = useAppDispatch();
  const dark = theme === "dark";
  return (
    <button
      type="button"
      className="theme-toggle"
      data-testid="theme-toggle"
      aria-pressed={dark}
      onClick={() => dispatch(themeToggled())}
    >
      <span aria-hidden="true">{dark ? "☾" : "☀"}</span> Dark theme
    </button>
  );
}
