#!/usr/bin/env node
// The production build: plain JavaScript for the server (dist/server, dist/shared) and the
// client (dist/client), each rebuilt only when its inputs changed (decision 0012).
//
//   node scripts/build.mjs             build both parts (`npm run build`)
//   node scripts/build.mjs --stale     build only the missing or stale parts (`npm start`)
//   node scripts/build.mjs --stale --server-only   the same, server only (`npm run worker`)
//
// A part is stale when the SHA-256 of its inputs (every source file, config and lockfile it
// depends on, and this script) differs from the one recorded in dist/.build-state.json after
// its last build, or when its output is gone. Hashing the ~400 inputs takes a few
// milliseconds, so `npm start` on an unchanged tree goes straight to the server.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const stateFile = join(dist, ".build-state.json");
const thisScript = fileURLToPath(import.meta.url);

/** Files that belong to tests, never to the running server. */
const TEST_ONLY = /\.(test|int\.test|contract|fixture)\.ts$|^src\/server\/(testing|faults)\//;

/** Every file under `dir` (relative to the repository root), sorted so the hash is stable. */
function filesUnder(dir) {
  const absolute = join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

const parts = {
  server: {
    /** Server and shared sources that production runs, plus the files they read at run time. */
    sources: () => [...filesUnder("src/server"), ...filesUnder("src/shared")].filter((file) => !TEST_ONLY.test(file)),
    inputs() {
      return [...this.sources(), "tsconfig.base.json", "tsconfig.server.json"];
    },
    output: join(dist, "server", "main.js"),
    build: buildServer,
  },
  client: {
    inputs: () => [
      ...filesUnder("src/client"),
      ...filesUnder("src/shared"),
      ...filesUnder("public"),
      "index.html",
      "vite.config.ts",
      "tsconfig.base.json",
      "tsconfig.client.json",
      // Dependency versions change the bundle.
      "package-lock.json",
    ],
    output: join(dist, "client", "index.html"),
    build: buildClient,
  },
};

function hashOf(files) {
  const hash = createHash("sha256");
  for (const file of [...files, relative(root, thisScript)]) {
    hash.update(file);
    hash.update("\0");
    hash.update(existsSync(join(root, file)) ? readFileSync(join(root, file)) : "(missing)");
    hash.update("\0");
  }
  return hash.digest("hex");
}

function readState() {
  try {
    return JSON.parse(readFileSync(stateFile, "utf8"));
  } catch {
    return {};
  }
}

/**
 * Transpiles each server and shared file on its own (no bundling), keeping the folder layout:
 * paths that code computes from `import.meta.url` (drizzle/ migrations, the password list,
 * the built client) resolve the same from dist/ as from src/. Dependencies stay in
 * node_modules. esbuild is the transform tsx and the tests already use, decorators included.
 */
async function buildServer() {
  const { build } = await import("esbuild");
  const sources = parts.server.sources();
  rmSync(join(dist, "server"), { recursive: true, force: true });
  rmSync(join(dist, "shared"), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: sources.filter((file) => file.endsWith(".ts")),
    outbase: "src",
    outdir: "dist",
    bundle: false,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    tsconfig: "tsconfig.server.json",
    logLevel: "warning",
  });
  for (const asset of sources.filter((file) => !file.endsWith(".ts"))) {
    const target = join(dist, relative("src", asset));
    await mkdir(dirname(target), { recursive: true });
    writeFileSync(target, readFileSync(join(root, asset)));
  }
}

/** Vite with vite.config.ts, which also writes the .br and .gz copies the server sends. */
async function buildClient() {
  const { build } = await import("vite");
  await build({ root, configFile: join(root, "vite.config.ts"), logLevel: "warn" });
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const onlyStale = args.has("--stale");
  const wanted = args.has("--server-only") ? ["server"] : ["server", "client"];
  const state = readState();
  for (const name of wanted) {
    const part = parts[name];
    const hash = hashOf(part.inputs());
    if (onlyStale && state[name] === hash && existsSync(part.output)) continue;
    const started = performance.now();
    await part.build();
    // Re-read: a concurrent build of the other part may have written its own entry meanwhile.
    writeFileSync(stateFile, `${JSON.stringify({ ...readState(), [name]: hash }, null, 2)}\n`);
    process.stdout.write(`build: ${name} built in ${Math.round(performance.now() - started)} ms\n`);
  }
}

main().catch((error) => {
  // esbuild and Vite are devDependencies: `npm ci --omit=dev` (or NODE_ENV=production) leaves them out.
  const hint =
    error?.code === "ERR_MODULE_NOT_FOUND" ? " (the build needs devDependencies: run `npm ci` without --omit=dev)" : "";
  process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}${hint}\n`);
  process.exit(1);
});
