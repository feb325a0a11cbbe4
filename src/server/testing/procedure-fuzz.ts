import fc from "fast-check";
import superjson from "superjson";
import type { z } from "zod";
import { appRouter } from "../trpc/router.js";
import type { TestApp } from "./app.js";
import { arbitraryFor } from "./zod-arbitrary.js";

/**
 * Calls every procedure of the app router over HTTP with inputs drawn from its own input
 * schema (plus hostile values), and reports any answer that is a server error: bad input must
 * be a typed 4xx, never a 500. Shared by the embedded and the PostgreSQL property tests.
 */

export interface FuzzTarget {
  path: string;
  type: "query" | "mutation";
  /** Who may call it (the procedure's meta): anonymous callers only get past "public". */
  access: string;
  input: z.ZodType | undefined;
}

/**
 * Left out: subscriptions (a stream, not a request), and calls that would end the very session
 * the test is using for the rest of its calls.
 */
const SKIPPED = new Set(["auth.logout", "auth.logoutAll"]);

export function fuzzTargets(): FuzzTarget[] {
  const procedures = (
    appRouter as unknown as {
      _def: {
        procedures: Record<string, { _def: { type: string; inputs: z.ZodType[]; meta?: { access?: string } } }>;
      };
    }
  )._def.procedures;
  return Object.entries(procedures)
    .filter(([path, p]) => p._def.type !== "subscription" && !SKIPPED.has(path))
    .map(([path, p]) => ({
      path,
      type: p._def.type as FuzzTarget["type"],
      access: p._def.meta?.access ?? "public",
      input: p._def.inputs[0],
    }));
}

export interface CallResult {
  status: number;
  body: string;
}

/** One call as a tRPC client sends it: GET with `?input=` for queries, POST for mutations. */
async function callRaw(app: TestApp, target: FuzzTarget, payload: string, token: string | null) {
  const http = app.gantry.http;
  if (!http) throw new Error("the test app has no HTTP server");
  const headers = { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response =
    target.type === "query"
      ? await http.inject({
          method: "GET",
          url: `/trpc/${target.path}?input=${encodeURIComponent(payload)}`,
          headers,
        })
      : await http.inject({ method: "POST", url: `/trpc/${target.path}`, headers, payload });
  return { status: response.statusCode, body: response.body };
}

/** Whether the answer is a server error, or leaks what only the server should see. */
function problemWith(result: CallResult): string | undefined {
  if (result.status >= 500) return `answered ${result.status}: ${result.body.slice(0, 500)}`;
  if (/INTERNAL_SERVER_ERROR|\bat .+\.(ts|js):\d+/.test(result.body)) return `leaked: ${result.body.slice(0, 500)}`;
  return undefined;
}

/** Text swept through every text field (see hostileStrings for the random mix). */
const SWEEP = ["\u0000", "a\uD800", "\uDFFF", "\u001b[0m", "__proto__", "' or 1=1 --", "%_\\", "9".repeat(400)];

/** `{"a":[{"a":[...]}]}`, `depth` levels deep, as text: too deep for a recursive serializer. */
function deepJson(depth: number): string {
  return `${'{"a":['.repeat(depth)}1${"]}".repeat(depth)}`;
}

/** Raw bodies no serializer would produce: prototype keys, extreme nesting, stray meta. */
const RAW_BODIES = [
  `{"json":${deepJson(5000)}}`,
  `{"json":{"a":1},"meta":{"values":${deepJson(5000)}}}`,
  '{"json":{"__proto__":{"role":"admin"},"constructor":{"prototype":{"role":"admin"}}}}',
  '{"json":null,"meta":{"values":["undefined"]}}',
  '{"json":[1,2,3]}',
  '{"json":"x","meta":{"values":["bigint"]}}',
];

/**
 * Runs `numRuns` generated calls of `target` as the caller `token`, then the raw bodies; throws
 * (with fast-check's shrunk counterexample) on the first server error.
 */
export async function fuzzProcedure(
  app: TestApp,
  target: FuzzTarget,
  token: string | null,
  options: { numRuns: number; knownIds: readonly string[]; seed?: number },
): Promise<void> {
  const input = target.input
    ? arbitraryFor(target.input, { knownIds: options.knownIds })
    : fc.constantFrom<unknown>(undefined, {});
  await fc.assert(
    fc.asyncProperty(input, async (value) => {
      const problem = problemWith(await callRaw(app, target, JSON.stringify(superjson.serialize(value)), token));
      if (problem) throw new Error(`${target.path} ${problem}`);
    }),
    { numRuns: options.numRuns, ...(options.seed !== undefined ? { seed: options.seed } : {}), endOnFailure: false },
  );
  // Then each hostile text in every text field at once, the rest well-formed, so it reaches
  // the database through whichever field forgot to refuse it.
  if (target.input) {
    for (const text of SWEEP) {
      const arbitrary = arbitraryFor(target.input, { knownIds: options.knownIds, everyText: text });
      for (const value of fc.sample(arbitrary, { numRuns: 2, seed: options.seed ?? 1 })) {
        const problem = problemWith(await callRaw(app, target, JSON.stringify(superjson.serialize(value)), token));
        if (problem) throw new Error(`${target.path} with every text ${JSON.stringify(text)}: ${problem}`);
      }
    }
  }
  for (const body of RAW_BODIES) {
    const problem = problemWith(await callRaw(app, target, body, token));
    if (problem) throw new Error(`${target.path} with ${body}: ${problem}`);
  }
}
