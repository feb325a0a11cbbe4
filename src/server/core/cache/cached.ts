import superjson from "superjson";
import { type CacheLogger, FailureLog } from "./failure-log.js";
import { cacheKey, UnkeyableArgumentError } from "./key.js";
import { type CacheStore, INVALIDATION_MEMORY_MS } from "./store.js";

export interface CachedOptions<Args extends unknown[], R> {
  /** Namespaces the keys: unique per function, and changed when the result's shape changes. */
  name: string;
  ttlMs: number;
  /** Tags to invalidate the entry by; a function sees the arguments and the result. */
  tags?: readonly string[] | ((args: Args, result: R) => readonly string[]);
  /** Replaces the default key (a canonical form of every argument). */
  key?: (...args: Args) => string;
}

export interface CacheOptions {
  logger?: CacheLogger;
}

/**
 * Read-through caching over a store. An optimisation, never a source of truth: a store that
 * fails or is slow only costs the cache, the caller always gets the source's answer.
 */
export class Cache {
  /** One computation per cold key per process; later callers share its promise. */
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly failures: FailureLog;

  constructor(
    readonly store: CacheStore,
    options: CacheOptions = {},
  ) {
    this.failures = new FailureLog(options.logger);
  }

  /** `fn` with the same signature, answering from the cache when it can. */
  wrap<Args extends unknown[], R>(
    fn: (...args: Args) => Promise<R>,
    options: CachedOptions<Args, R>,
  ): (...args: Args) => Promise<R> {
    assertValidOptions(options);
    return (...args: Args) => this.run(options, args, () => fn(...args));
  }

  /** The read path shared by `wrap` and the `@cached` decorator. */
  run<Args extends unknown[], R>(options: CachedOptions<Args, R>, args: Args, compute: () => Promise<R>): Promise<R> {
    const key = this.keyFor(options, args);
    if (key === undefined) return compute();
    // Same key implies same `name`, hence the same function and result type.
    const running = this.inflight.get(key) as Promise<R> | undefined;
    if (running) return running;
    const promise = this.readThrough(key, options, args, compute).finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  /**
   * Drops every entry carrying any of the tags, in every process sharing the store. Unlike
   * reads this rejects when the store cannot confirm it, so a caller that must not leave stale
   * entries behind (the outbox consumer) retries instead of acknowledging.
   */
  async invalidate(tags: string | readonly string[]): Promise<void> {
    await this.store.invalidateTags(typeof tags === "string" ? [tags] : tags);
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  private async readThrough<Args extends unknown[], R>(
    key: string,
    options: CachedOptions<Args, R>,
    args: Args,
    compute: () => Promise<R>,
  ): Promise<R> {
    let generation: number | undefined;
    try {
      const found = await this.store.get(key);
      if (!found.hit) generation = found.generation;
      else {
        const decoded = decode<R>(found.value);
        if (decoded.ok) return decoded.value;
        this.failures.warn("cache entry unreadable; answering from the source", decoded.error, { key });
      }
    } catch (error) {
      this.failures.warn("cache read failed; answering from the source", error, { key });
    }
    const startedAt = Date.now();
    const result = await compute();
    // No generation means the store is failing (or the entry was corrupt): don't add to its load.
    // A very slow computation may have outlived the store's memory of invalidations: don't trust it.
    if (generation !== undefined && Date.now() - startedAt < INVALIDATION_MEMORY_MS) {
      await this.write(key, options, args, result, generation);
    }
    return result;
  }

  private async write<Args extends unknown[], R>(
    key: string,
    options: CachedOptions<Args, R>,
    args: Args,
    result: R,
    generation: number,
  ): Promise<void> {
    try {
      const tags = typeof options.tags === "function" ? options.tags(args, result) : (options.tags ?? []);
      const value = superjson.stringify(result);
      await this.store.set({ key, value, ttlMs: options.ttlMs, tags, generation });
    } catch (error) {
      this.failures.warn("cache write failed", error, { key });
    }
  }

  private keyFor<Args extends unknown[], R>(options: CachedOptions<Args, R>, args: Args): string | undefined {
    try {
      return options.key ? `${options.name}:${options.key(...args)}` : cacheKey(options.name, args);
    } catch (error) {
      // Caching is optional, the answer is not: say so in the log and call the source.
      const hint = error instanceof UnkeyableArgumentError ? ": pass a `key` option" : "";
      this.failures.warn(`cache bypassed for ${options.name}${hint}`, error);
      return undefined;
    }
  }
}

/** Bad options are a programming error: fail when the function is wrapped, at start-up. */
export function assertValidOptions<Args extends unknown[], R>(options: CachedOptions<Args, R>): void {
  if (!options.name) throw new TypeError("cached: `name` is required");
  if (!Number.isFinite(options.ttlMs) || options.ttlMs <= 0) {
    throw new TypeError(`cached ${options.name}: \`ttlMs\` must be a positive number of milliseconds`);
  }
}

function decode<R>(text: string): { ok: true; value: R } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: superjson.parse<R>(text) };
  } catch (error) {
    return { ok: false, error };
  }
}
