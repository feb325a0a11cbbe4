#!/usr/bin/env node
// `npm test`: every check Gantry has, in order, ending with one summary line:
//   tests: N passed, N failed, N skipped
// Types, lint and import direction count as one check each; Vitest and Playwright report
// their own counts. The run goes on after a failure so one report shows everything.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureServices } from "./preflight.mjs";

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const reports = mkdtempSync(join(tmpdir(), "gantry-test-"));

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(label, command, args) {
  if (run(label, command, args)) totals.passed += 1;
  else {
    totals.failed += 1;
    failures.push(label);
  }
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

const ready = await ensureServices();
if (!ready.ok) {
  console.error(`\n✖ ${ready.message}`);
  console.log("\ntests: 0 passed, 1 failed, 0 skipped");
  process.exit(1);
}

check("typecheck", "npx", ["tsc", "-p", "tsconfig.server.json", "--noEmit"]);
check("typecheck client", "npx", ["tsc", "-p", "tsconfig.client.json", "--noEmit"]);
check("lint", "npx", ["biome", "check", "--error-on-warnings", "."]);
check("import direction", "npx", ["depcruise", "src", "--config", ".dependency-cruiser.cjs"]);

const vitestReport = join(reports, "vitest.json");
const vitestOk = run("unit and integration tests", "npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestReport}`,
]);
const vitest = readJson(vitestReport);
if (vitest) {
  totals.passed += vitest.numPassedTests;
  totals.failed += vitest.numFailedTests;
  totals.skipped += vitest.numPendingTests + vitest.numTodoTests;
  // A suite that fails to load reports no failed test; count it so it cannot pass silently.
  if (!vitestOk && vitest.numFailedTests === 0) totals.failed += Math.max(1, vitest.numFailedTestSuites);
} else {
  totals.failed += 1;
}
if (!vitestOk) failures.push("vitest");

if (run("client build", "npx", ["vite", "build", "--logLevel", "warn"])) {
  const playwrightReport = join(reports, "playwright.json");
  const playwrightOk = run("browser tests", "npx", ["playwright", "test"], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
  });
  const playwright = readJson(playwrightReport);
  if (playwright?.stats) {
    totals.passed += playwright.stats.expected + playwright.stats.flaky;
    totals.failed += playwright.stats.unexpected;
    totals.skipped += playwright.stats.skipped;
    if (!playwrightOk && playwright.stats.unexpected === 0) totals.failed += 1;
  } else {
    totals.failed += 1;
  }
  if (!playwrightOk) failures.push("playwright");
} else {
  totals.failed += 1;
  failures.push("client build");
}

rmSync(reports, { recursive: true, force: true });
if (failures.length > 0) console.log(`\n✖ failed: ${failures.join(", ")}`);
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
