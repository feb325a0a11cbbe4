/**
 * The client's first download: the JavaScript a browser fetches before Gantry's first render
 * (index.html's module script and its modulepreloads), gzip-compressed, against a bare
 * React 19 + Vite hello world (bench/baselines/react-hello) built in the same run with the
 * same Vite. Aim: at most 1.6× the hello world.
 */
import { cp, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { build } from "vite";
import type { BenchCase, BenchRow } from "../case.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const AIM = 1.6;

interface InitialJs {
  gzip: number;
  brotli: number;
  files: number;
}

/** Sums the compressed sizes of the scripts index.html makes the browser load up front. */
async function initialJs(outDir: string): Promise<InitialJs> {
  const html = await readFile(join(outDir, "index.html"), "utf8");
  const urls = [
    ...html.matchAll(/<script type="module"[^>]* src="([^"]+)"/g),
    ...html.matchAll(/<link rel="modulepreload"[^>]* href="([^"]+)"/g),
  ].map((match) => match[1] ?? "");
  let gzip = 0;
  let brotli = 0;
  for (const url of urls) {
    const bytes = await readFile(join(outDir, url));
    gzip += gzipSync(bytes, { level: 9 }).length;
    brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return { gzip, brotli, files: urls.length };
}

async function buildGantry(outDir: string): Promise<void> {
  await build({
    root: repo,
    configFile: join(repo, "vite.config.ts"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
}

async function buildHelloWorld(dir: string): Promise<void> {
  await cp(join(repo, "bench/baselines/react-hello"), dir, { recursive: true });
  // The baseline resolves React and Vite's plugin from this checkout, as Gantry does.
  await symlink(join(repo, "node_modules"), join(dir, "node_modules"), "dir");
  await build({
    root: dir,
    configFile: false,
    logLevel: "warn",
    plugins: [react()],
    build: { outDir: join(dir, "dist"), emptyOutDir: true },
  });
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

const bundle: BenchCase = {
  name: "bundle",
  quick: true,
  async run(): Promise<BenchRow[]> {
    const dir = await mkdtemp(join(tmpdir(), "gantry-bench-bundle-"));
    try {
      await buildGantry(join(dir, "gantry"));
      await buildHelloWorld(join(dir, "hello"));
      const gantry = await initialJs(join(dir, "gantry"));
      const hello = await initialJs(join(dir, "hello", "dist"));
      const ratio = gantry.gzip / hello.gzip;
      return [
        {
          what: `initial JS before first render, gzip (${gantry.files} files vs React hello world)`,
          gantry: kB(gantry.gzip),
          baseline: kB(hello.gzip),
          ratio,
          aim: `≤ ${AIM}×`,
          met: ratio <= AIM,
        },
        {
          what: "the same, Brotli as the server sends it (informational)",
          gantry: kB(gantry.brotli),
          baseline: kB(hello.brotli),
          ratio: gantry.brotli / hello.brotli,
          aim: `≤ ${AIM}×`,
          met: undefined,
        },
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bundle;
