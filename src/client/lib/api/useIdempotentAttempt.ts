import { useMemo, useRef } from "react";
import { type Attempt, attemptAfter, attemptFor, fingerprintOf, newIdempotencyKey } from "./idempotentAttempt";

export interface IdempotentAttempts {
  /** The key to send `params` with: the open attempt's when they are the same, else a new one. */
  keyFor(params: Readonly<Record<string, unknown>>): string;
  /** Call with the key that was answered. */
  succeeded(key: string): void;
  failed(key: string, error: unknown): void;
}

/**
 * Idempotency keys for one form, per attempt (app/idempotentAttempt.ts). Held in a ref:
 * the key must survive re-renders and never cause one.
 */
export function useIdempotentAttempt(): IdempotentAttempts {
  const open = useRef<Attempt | null>(null);
  return useMemo(
    () => ({
      keyFor(params) {
        open.current = attemptFor(open.current, fingerprintOf(params), () => newIdempotencyKey());
        return open.current.key;
      },
      succeeded(key) {
        open.current = attemptAfter(open.current, key, "succeeded");
      },
      failed(key, error) {
        open.current = attemptAfter(open.current, key, { error });
      },
    }),
    [],
  );
}
