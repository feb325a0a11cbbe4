import fc from "fast-check";
import type { z } from "zod";

/**
 * fast-check arbitraries from zod v4 schemas, for the input property test: mostly values the
 * schema accepts (so calls get past validation and reach services and the database), mixed
 * with hostile ones anywhere in the tree. Covers the schema kinds our inputs use; anything
 * else gets `fc.anything()`. (zod-fast-check supports zod v3 only.)
 */

export interface ArbitraryOptions {
  /** Ids that exist (the caller's own rows): uuids are drawn from these half the time. */
  knownIds?: readonly string[];
  /** Weight of a hostile value against 4 for a well-formed one, at every node (default 1). */
  hostility?: number;
  /**
   * Every free-text string (not a uuid or email) is this, everything else well-formed: so the
   * text reaches the service and the database through every text field at once.
   */
  everyText?: string;
}

/** Text PostgreSQL or JavaScript could trip on. */
export const hostileStrings: readonly string[] = [
  "\u0000",
  "a\u0000b",
  "\uD800",
  "x\uDFFFy",
  "\u001b[2J",
  "\u202Eevil",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "' or 1=1 --",
  "%_\\",
  "😀".repeat(50),
  "x".repeat(100_000),
  "",
  " ",
  "NaN",
  "1e300",
  "-0",
  "9".repeat(400),
  "0001-01-01",
  "-271821-04-20T00:00:00Z",
  "+275760-09-13T00:00:00Z",
];

/** Numbers at and past every edge (superjson carries NaN, Infinity and -0 as such). */
const hostileNumbers: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  1.5,
  -1,
  1e300,
  -1e300,
  2 ** 53,
  2 ** 63,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  8.64e15,
];

/** Nested structures (deeper ones go as raw JSON: see procedure-fuzz.ts). */
function deep(depth: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.constantFrom(...hostileNumbers),
  fc.constantFrom<unknown>(null, true, [], {}, deep(64), new Date(Number.NaN), { __proto__: null }),
);

interface Def {
  type: string;
  checks?: Array<{ _zod: { def: Record<string, unknown> } }>;
  format?: string;
  [key: string]: unknown;
}
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** min_length/max_length/greater_than/less_than/number_format checks of a string, number or array. */
function limits(def: Def) {
  const out: { min?: number; max?: number; int?: boolean; minExclusive?: boolean; maxExclusive?: boolean } = {};
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === "min_length") out.min = c.minimum as number;
    if (c.check === "max_length") out.max = c.maximum as number;
    if (c.check === "length_equals") out.min = out.max = c.length as number;
    if (c.check === "greater_than") {
      out.min = Number(c.value);
      out.minExclusive = !c.inclusive;
    }
    if (c.check === "less_than") {
      out.max = Number(c.value);
      out.maxExclusive = !c.inclusive;
    }
    if (c.check === "number_format" && String(c.format).includes("int")) out.int = true;
  }
  return out;
}

export function arbitraryFor(schema: z.ZodType, options: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const hostility = options.hostility ?? 1;
  const walk = (node: unknown, depth: number): fc.Arbitrary<unknown> => {
    const valid = wellFormed(node, depth);
    if (hostility <= 0 || options.everyText !== undefined) return valid;
    const type = defOf(node).type;
    // Strings and numbers get their own edge cases more often: that is where inputs break.
    const edges =
      type === "string"
        ? fc.constantFrom(...hostileStrings)
        : type === "number"
          ? fc.constantFrom(...hostileNumbers)
          : undefined;
    return edges
      ? fc.oneof(
          { weight: 3, arbitrary: valid },
          { weight: 2, arbitrary: edges },
          { weight: hostility, arbitrary: hostileValue },
        )
      : fc.oneof({ weight: 4, arbitrary: valid }, { weight: hostility, arbitrary: hostileValue });
  };

  const wellFormed = (node: unknown, depth: number): fc.Arbitrary<unknown> => {
    const def = defOf(node);
    switch (def.type) {
      case "string":
        if (options.everyText !== undefined && !def.format) return fc.constant(options.everyText);
        return stringFor(def, options.knownIds ?? []);
      case "number": {
        const { min, max, int, minExclusive, maxExclusive } = limits(def);
        if (int) {
          const lo = Math.max(
            min === undefined ? -1e6 : Math.ceil(min + (minExclusive ? 1 : 0)),
            Number.MIN_SAFE_INTEGER,
          );
          const hi = Math.min(
            max === undefined ? 1e6 : Math.floor(max - (maxExclusive ? 1 : 0)),
            Number.MAX_SAFE_INTEGER,
          );
          return fc.oneof(fc.integer({ min: lo, max: Math.min(hi, lo + 10_000) }), fc.constantFrom(lo, hi));
        }
        return fc.double({ noNaN: true, noDefaultInfinity: true, min: min ?? -1e9, max: max ?? 1e9 });
      }
      case "boolean":
        return fc.boolean();
      case "date":
        return fc.date({ noInvalidDate: true });
      case "null":
        return fc.constant(null);
      case "undefined":
        return fc.constant(undefined);
      case "enum":
        return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
      case "literal":
        return fc.constantFrom(...(def.values as unknown[]));
      case "optional":
        if (options.everyText !== undefined) return walk(def.innerType, depth + 1);
        return fc.option(walk(def.innerType, depth + 1), { nil: undefined, freq: 3 });
      case "nullable":
        return fc.option(walk(def.innerType, depth + 1), { nil: null, freq: 3 });
      case "default":
      case "prefault":
      case "catch":
      case "readonly":
        if (options.everyText !== undefined) return walk(def.innerType, depth + 1);
        return fc.option(walk(def.innerType, depth + 1), { nil: undefined, freq: 3 });
      case "pipe": {
        // `text().trim().pipe(z.email())`: the format lives on the output side.
        const out = defOf(def.out);
        return out.type === "string" && out.format ? wellFormed(def.out, depth + 1) : walk(def.in, depth + 1);
      }
      case "union":
        return fc.oneof(...(def.options as unknown[]).map((option) => walk(option, depth + 1)));
      case "array": {
        const { min = 0, max = 4 } = limits(def);
        const maxLength = Math.max(min, Math.min(max, depth > 3 ? min : 4));
        return fc.array(walk(def.element, depth + 1), { minLength: min, maxLength });
      }
      case "object": {
        const shape = def.shape as Record<string, unknown>;
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, value] of Object.entries(shape)) record[key] = walk(value, depth + 1);
        return fc.record(record);
      }
      default:
        return fc.anything();
    }
  };
  return walk(schema, 0);
}

function stringFor(def: Def, knownIds: readonly string[]): fc.Arbitrary<unknown> {
  if (def.format === "uuid" || def.format === "guid") {
    const random = fc.uuid({ version: 4 });
    return knownIds.length > 0 ? fc.oneof(random, fc.constantFrom(...knownIds)) : random;
  }
  if (def.format === "email") return fc.emailAddress();
  const { min = 0, max = 64 } = limits(def);
  return fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 64)), unit: "grapheme" });
}
