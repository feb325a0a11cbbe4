import { createHash } from "node:crypto";

/** An argument the cache cannot turn into a key (a function, a class instance, a cycle). */
export class UnkeyableArgumentError extends Error {
  override name = "UnkeyableArgumentError";
}

/** Keys longer than this are hashed: Redis keys stay short, short keys stay readable in redis-cli. */
const MAX_READABLE_LENGTH = 200;

/**
 * `name:` + a canonical form of the arguments: equal arguments give equal keys whatever their
 * object key order, and distinct values never share one (NaN is not null, 1n is not "1").
 * Trailing undefined arguments are dropped, so `f(1)` and `f(1, undefined)` share an entry.
 */
export function cacheKey(name: string, args: readonly unknown[]): string {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end -= 1;
  const canonical = JSON.stringify(args.slice(0, end).map((arg, i) => toCanonical(arg, `[${i}]`, new Set())));
  if (canonical.length <= MAX_READABLE_LENGTH) return `${name}:${canonical}`;
  return `${name}:#${createHash("sha256").update(canonical).digest("base64url")}`;
}

type Canonical = null | boolean | string | number | Canonical[] | { [key: string]: Canonical };

function toCanonical(value: unknown, path: string, ancestors: Set<object>): Canonical {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // JSON would print NaN and Infinity as null.
      return Number.isFinite(value) ? value : { $n: String(value) };
    case "bigint":
      return { $b: value.toString() };
    case "undefined":
      return { $u: 1 };
    case "object":
      return value === null ? null : objectToCanonical(value, path, ancestors);
    default:
      throw new UnkeyableArgumentError(`cannot build a cache key from the ${typeof value} at ${path}`);
  }
}

function objectToCanonical(value: object, path: string, ancestors: Set<object>): Canonical {
  if (ancestors.has(value)) throw new UnkeyableArgumentError(`cannot build a cache key from the cycle at ${path}`);
  ancestors.add(value);
  try {
    const child = (item: unknown, at: string) => toCanonical(item, at, ancestors);
    if (value instanceof Date) return { $d: Number.isNaN(value.getTime()) ? "invalid" : value.toISOString() };
    if (Array.isArray(value)) return value.map((item, i) => child(item, `${path}[${i}]`));
    if (value instanceof Set) return { $s: sortByKey([...value].map((item) => child(item, `${path}{}`))) };
    if (value instanceof Map) {
      return { $m: sortByKey([...value].map(([k, v]) => [child(k, `${path}<key>`), child(v, `${path}<value>`)])) };
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new UnkeyableArgumentError(`cannot build a cache key from the class instance at ${path}`);
    }
    const out: { [key: string]: Canonical } = {};
    for (const key of Object.keys(value).sort()) {
      const item: unknown = (value as Record<string, unknown>)[key];
      // An absent property and an undefined one mean the same to nearly every function.
      if (item === undefined) continue;
      // `$` keys are ours (`$d`, `$n`, ...): escape the caller's so they cannot collide.
      out[key.startsWith("$") ? `$${key}` : key] = child(item, `${path}.${key}`);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

function sortByKey(items: Canonical[]): Canonical[] {
  return items
    .map((item) => [JSON.stringify(item), item] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, item]) => item);
}
