/**
 * The cache store port. Values are opaque strings (the Cache serialises them), so every store
 * behaves the same and a caller can never mutate a cached object in place.
 *
 * Invalidation must also beat the classic cache-aside race: a read misses, loads the old row,
 * a mutation commits and invalidates, and only then does the read write the old row back.
 * So a miss carries the store's invalidation `generation`, and `set` drops the write when any
 * of its tags was invalidated after that generation was observed.
 */
export interface CacheStore {
  get(key: string): Promise<CacheLookup>;
  /** Resolves false when the write was dropped because a tag was invalidated since the miss. */
  set(entry: CacheWrite): Promise<boolean>;
  /**
   * Removes every entry carrying any of these tags, in every process sharing the store. A store
   * may also drop entries that carried a tag before being overwritten: a spare miss, never stale.
   */
  invalidateTags(tags: readonly string[]): Promise<void>;
  /** Rejects when the store cannot answer now (health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type CacheLookup = { hit: true; value: string } | { hit: false; generation: number };

export interface CacheWrite {
  key: string;
  value: string;
  ttlMs: number;
  tags: readonly string[];
  /** The generation returned by the miss this value was computed after. */
  generation: number;
}

/**
 * How long a store remembers that a tag was invalidated, i.e. the longest a computation may take
 * and still have its stale write caught. The Cache does not write values that took longer.
 */
export const INVALIDATION_MEMORY_MS = 60 * 60_000;
