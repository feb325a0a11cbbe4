export { Cache, type CachedOptions, type CacheOptions } from "./cached.js";
export { type CacheHolder, cached } from "./decorator.js";
export type { CacheLogger } from "./failure-log.js";
export { cacheKey, UnkeyableArgumentError } from "./key.js";
export { MemoryCacheStore, type MemoryCacheStoreOptions } from "./memory-store.js";
export { RedisCacheStore, type RedisCacheStoreOptions } from "./redis-store.js";
export type { CacheLookup, CacheStore, CacheWrite } from "./store.js";
