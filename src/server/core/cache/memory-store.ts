import { LRUCache } from "lru-cache";
import { type CacheLookup, type CacheStore, type CacheWrite, INVALIDATION_MEMORY_MS } from "./store.js";

export interface MemoryCacheStoreOptions {
  /** Most entries kept; the least recently used go first. */
  maxEntries?: number;
}

interface Entry {
  value: string;
  tags: readonly string[];
}

/** The embedded default: one process, no Redis. Same contract as the Redis store. */
export class MemoryCacheStore implements CacheStore {
  private readonly entries: LRUCache<string, Entry>;
  /** tag -> keys carrying it; kept in step with `entries` by the dispose hook, so it is bounded too. */
  private readonly keysByTag = new Map<string, Set<string>>();
  /** tag -> generation of its last invalidation; in insertion (= time) order for cheap pruning. */
  private readonly invalidatedAt = new Map<string, { generation: number; at: number }>();
  private generation = 0;

  constructor(options: MemoryCacheStoreOptions = {}) {
    this.entries = new LRUCache<string, Entry>({
      max: options.maxEntries ?? 10_000,
      dispose: (entry, key) => this.unindex(key, entry.tags),
    });
  }

  async get(key: string): Promise<CacheLookup> {
    const entry = this.entries.get(key);
    return entry ? { hit: true, value: entry.value } : { hit: false, generation: this.generation };
  }

  async set({ key, value, ttlMs, tags, generation }: CacheWrite): Promise<boolean> {
    if (tags.some((tag) => (this.invalidatedAt.get(tag)?.generation ?? 0) > generation)) return false;
    const unique = [...new Set(tags)];
    this.entries.set(key, { value, tags: unique }, { ttl: ttlMs });
    for (const tag of unique) {
      const keys = this.keysByTag.get(tag);
      if (keys) keys.add(key);
      else this.keysByTag.set(tag, new Set([key]));
    }
    return true;
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    this.generation += 1;
    const now = Date.now();
    for (const tag of new Set(tags)) {
      this.invalidatedAt.delete(tag);
      this.invalidatedAt.set(tag, { generation: this.generation, at: now });
      // Copy: each delete runs the dispose hook, which edits this very set.
      for (const key of [...(this.keysByTag.get(tag) ?? [])]) this.entries.delete(key);
    }
    this.forgetOldInvalidations(now);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
    this.invalidatedAt.clear();
  }

  private unindex(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByTag.delete(tag);
    }
  }

  private forgetOldInvalidations(now: number): void {
    for (const [tag, { at }] of this.invalidatedAt) {
      if (now - at < INVALIDATION_MEMORY_MS) break;
      this.invalidatedAt.delete(tag);
    }
  }
}
