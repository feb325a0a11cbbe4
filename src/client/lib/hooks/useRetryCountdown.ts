import { useEffect, useState } from "react";

/**
 * Seconds left before the server will accept another try (after TOO_MANY_REQUESTS), ticking
 * down once a second; 0 when there is nothing to wait for. `key` restarts it for a new error.
 */
export function useRetryCountdown(retryAfterMs: number | null, key: unknown): number {
  const [until, setUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const start = Date.now();
    setNow(start);
    setUntil(retryAfterMs && key ? start + retryAfterMs : null);
  }, [retryAfterMs, key]);

  useEffect(() => {
    if (until === null) return;
    const timer = setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= until) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [until]);

  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}
