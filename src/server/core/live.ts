import { EventEmitter, on } from "node:events";

/**
 * The two shapes a live source takes before src/server/trpc/live.ts (`whileAllowed`) streams it
 * to a caller: `follow` for a state (a payment, an import, a run), `listen` for a feed of events
 * (the audit log, account changes).
 */

/**
 * Live progress as an async generator (what tRPC subscriptions consume): the first value is
 * the current state, then a new one whenever something happens, until a final state.
 * `subscribe` hooks the wake-ups (job progress, domain events); a slow heartbeat re-reads the
 * state anyway, so a lost event delays an update but never leaves a watcher hanging.
 */
export async function* follow<T, W>(options: {
  snapshot: () => Promise<T>;
  done: (value: T) => boolean;
  subscribe: (wake: (hint?: W) => void) => Promise<() => void>;
  /** Applies a cheap hint (a progress number) without reading the database. */
  merge?: (value: T, hint: W) => T;
  signal?: AbortSignal | undefined;
  heartbeatMs?: number;
}): AsyncGenerator<T> {
  const hints: Array<W | undefined> = [];
  let notify: (() => void) | undefined;
  const stop = await options.subscribe((hint) => {
    hints.push(hint);
    notify?.();
  });
  try {
    let current = (await options.snapshot()) as T;
    let last = JSON.stringify(current);
    yield current;
    while (!options.done(current) && !options.signal?.aborted) {
      if (hints.length === 0) await idle(options.heartbeatMs ?? 5000, options.signal, (wake) => (notify = wake));
      notify = undefined;
      if (options.signal?.aborted) return;
      const batch = hints.splice(0);
      const latest = batch[batch.length - 1];
      current =
        options.merge && batch.length > 0 && batch.every((hint) => hint !== undefined) && latest !== undefined
          ? options.merge(current, latest)
          : ((await options.snapshot()) as T);
      const serialized = JSON.stringify(current);
      if (serialized !== last) {
        last = serialized;
        yield current;
      }
    }
  } finally {
    stop();
  }
}

function idle(ms: number, signal: AbortSignal | undefined, register: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    register(done);
  });
}

/**
 * Every value a callback-style source pushes (`onEntry(listener)` returning its unsubscribe), as
 * an async generator, in order and none dropped, until `signal` aborts or the consumer stops.
 * Where `follow` sends the latest state, this sends each event: an audit entry, a wake-up.
 */
export async function* listen<T>(
  subscribe: (push: (value: T) => void) => () => void,
  signal?: AbortSignal | undefined,
): AsyncGenerator<T> {
  const feed = new EventEmitter();
  const stop = subscribe((value) => feed.emit("value", value));
  try {
    for await (const [value] of on(feed, "value", { signal })) yield value as T;
  } finally {
    stop();
  }
}
