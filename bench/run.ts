/**
 * `npm run bench`: every case in bench/cases/ (a default-exported BenchCase per file; files
 * starting with `_` are helpers), each measuring Gantry and its baseline side by side, then ONE
 * table of ratios. `-- --quick` runs only the quick cases, shortened (under two minutes in all);
 * `-- --only a,b` runs the named cases.
 */
import { readdir } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchCase, BenchRow } from "./case.js";
import { pinning, pinSelfToLoadCore } from "./harness/cores.js";
import { log } from "./harness/rounds.js";
import { formatTable } from "./report.js";

const CASES_DIR = join(import.meta.dirname, "cases");

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const only = args
    .find((arg) => arg.startsWith("--only="))
    ?.slice("--only=".length)
    .split(",");
  pinSelfToLoadCore();
  const started = performance.now();
  const loadBefore = loadavg();

  const cases = await discoverCases();
  const chosen = cases.filter((c) => (only ? only.includes(c.name) : !quick || c.quick));
  const rows: BenchRow[] = [];
  const failures: string[] = [];
  for (const benchCase of chosen) {
    log(`case ${benchCase.name}…`);
    const caseStarted = performance.now();
    try {
      rows.push(...(await benchCase.run({ quick })));
    } catch (error) {
      // One broken case must not hide the others' figures.
      failures.push(`${benchCase.name}: ${error instanceof Error ? error.message : String(error)}`);
      rows.push({
        what: `${benchCase.name} (failed, see below)`,
        gantry: "",
        baseline: "",
        ratio: Number.NaN,
        aim: "",
      });
    }
    log(`case ${benchCase.name} took ${Math.round((performance.now() - caseStarted) / 1000)} s`);
  }

  const loadAfter = loadavg();
  const fmtLoad = (l: number[]) => l.map((v) => v.toFixed(2)).join(" ");
  process.stdout.write(
    `\nGantry bench${quick ? " --quick" : ""}: ${chosen.map((c) => c.name).join(", ")}\n` +
      `servers ${pinning ? "pinned to core 0, load generator on core 1" : "NOT pinned (no taskset or one core)"}; ` +
      `load average ${fmtLoad(loadBefore)} before, ${fmtLoad(loadAfter)} after; ` +
      `${Math.round((performance.now() - started) / 1000)} s\n\n`,
  );
  process.stdout.write(
    formatTable(
      ["what", "Gantry", "baseline", "ratio", "aim", "met"],
      rows.map((row) => [
        row.what,
        row.gantry,
        row.baseline,
        Number.isFinite(row.ratio) ? `${row.ratio.toFixed(2)}×` : "",
        row.aim,
        row.met === undefined ? "" : row.met ? "met" : "MISSED",
      ]),
    ),
  );
  for (const failure of failures) process.stdout.write(`\nFAILED ${failure}\n`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

async function discoverCases(): Promise<BenchCase[]> {
  const files = (await readdir(CASES_DIR))
    .filter((file) => /\.(ts|mts)$/.test(file) && !file.startsWith("_") && !/\.test\.|\.d\.ts$/.test(file))
    .sort();
  const cases: BenchCase[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(CASES_DIR, file)).href)) as { default?: BenchCase };
    if (!module.default || typeof module.default.run !== "function") {
      throw new Error(`bench/cases/${file} has no default-exported BenchCase`);
    }
    cases.push(module.default);
  }
  return cases;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
