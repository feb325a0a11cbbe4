/**
 * One row family of `npm run bench`: Gantry's figure and its baseline's, measured side by side in
 * the same run (alternating A and B), reported as a ratio against an aim. Each case lives in its
 * own file under bench/cases/, which bench/run.ts runs whole (files starting with `_` are helpers).
 */
export interface BenchRow {
  /** What is measured, e.g. "cheapest query (auth.me, anonymous)". */
  what: string;
  /** Gantry's figure, formatted with its unit ("3.2k req/s", "140 kB"). */
  gantry: string;
  /** The baseline's figure in the same run, formatted the same way. */
  baseline: string;
  /** Gantry ÷ baseline, oriented so the aim reads naturally (see `aim`). */
  ratio: number;
  /** The aim, e.g. "≥ 0.35×" or "≤ 1.6×". */
  aim: string;
  /** Whether `ratio` meets `aim`; undefined when the row is informational. */
  met?: boolean | undefined;
}

export interface BenchCase {
  name: string;
  /** Part of `npm run bench -- --quick` (which must finish in under two minutes in all). */
  quick: boolean;
  run(options: { quick: boolean }): Promise<BenchRow[]>;
}
