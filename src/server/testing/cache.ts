import type { CacheLogger } from "../core/cache/failure-log.js";

/** A promise the test settles by hand, to hold a source "in flight". */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A logger that remembers the messages it was asked to warn with. */
export function recordingLogger(): CacheLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    warn: (_context: unknown, message?: string) => {
      warnings.push(message ?? "");
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
