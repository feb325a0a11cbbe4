import { useEffect, useState } from "react";

/**
 * `value`, once it has stopped changing for `delayMs`: for work that should follow typing
 * without running on every key (a preview query). Compared by identity, so pass a memoized
 * object rather than a fresh one each render.
 */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
