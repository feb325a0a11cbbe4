import { assertValidOptions, Cache, type CachedOptions } from "./cached.js";

/** A service whose methods use `@cached`: it carries the app's Cache (public, so types can see it). */
export interface CacheHolder {
  readonly cache: Cache;
}

/**
 * Standard (TC39) method decorator: `@cached({ name, ttlMs, tags })` on an async method of a
 * class with a `cache` property. Same machinery as `cache.wrap`: keys, single-flight, fail-open.
 *
 * TypeScript cannot type a decorator's options from the method it decorates, so a `tags`
 * function annotates its parameters: `tags: ([id]: [string], user: User) => [`user:${id}`]`.
 * The method is still checked against those types.
 */
export function cached<Args extends unknown[] = never, R = unknown>(options: CachedOptions<Args, R>) {
  assertValidOptions(options);
  return <This extends CacheHolder, Method extends (this: This, ...args: Args) => Promise<R>>(
    method: Method,
    context: ClassMethodDecoratorContext<This, Method>,
  ): Method => {
    const name = String(context.name);
    function cachedMethod(this: This, ...args: Args): Promise<R> {
      // Read per call, not at class definition: each app instance wires its own Cache.
      const cache: unknown = this.cache;
      if (!(cache instanceof Cache)) {
        return Promise.reject(new TypeError(`@cached ${name}: \`this.cache\` is not a Cache; wire one in`));
      }
      return cache.run(options, args, () => method.apply(this, args));
    }
    // The replacement takes and returns exactly what the method does.
    return cachedMethod as unknown as Method;
  };
}
