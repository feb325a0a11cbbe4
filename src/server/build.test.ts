import { type ChildProcess, execFile, spawn } from "node:child_process";
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The Dockerfile's build, without Docker: the build context (the repository minus
 * .dockerignore) is copied aside, `npm run build` runs in it as in the build stage, and the
 * final stage is assembled from the Dockerfile's own `COPY --from=build` lines. The compiled
 * server then starts from that stage alone (no src/, no scripts/, no tsx) and must answer
 * /healthz and serve the built client. `npm ci` and `npm prune` are the two steps not run:
 * node_modules is linked from this checkout instead.
 */
const repo = fileURLToPath(new URL("../..", import.meta.url));
const dockerfile = await readFile(join(repo, "Dockerfile"), "utf8");
const [buildStage = "", runtimeStage = ""] = dockerfile.split(/^FROM .* AS runtime$/m);

const run = promisify(execFile);
let workDir = "";
let context = "";
let server: ChildProcess | undefined;
let origin = "";

/** The build context: top-level entries that .dockerignore does not name. */
async function copyBuildContext(target: string): Promise<void> {
  const ignored = (await readFile(join(repo, ".dockerignore"), "utf8"))
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const matches = (name: string) =>
    ignored.some((pattern) => (pattern.startsWith("*") ? name.endsWith(pattern.slice(1)) : name === pattern));
  for (const entry of await readdir(repo)) {
    if (!matches(entry)) await cp(join(repo, entry), join(target, entry), { recursive: true });
  }
}

/** Starts `CMD` of the final stage and resolves with the address it logs when ready. */
function startServer(cwd: string, dataDir: string): Promise<string> {
  const child = spawn(process.execPath, ["dist/server/main.js"], {
    cwd,
    env: { PATH: process.env.PATH, HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server = child;
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const address = output.match(/is ready on (http:\/\/[^\s"]+)/)?.[1];
      if (address) resolve(address);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the compiled server exited (${code}):\n${output}`)));
  });
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "gantry-image-"));
  context = join(workDir, "build");
  const runtime = join(workDir, "runtime");
  await copyBuildContext(context);
  await symlink(join(repo, "node_modules"), join(context, "node_modules"), "dir");
  await run("npm", ["run", "build"], { cwd: context });

  await mkdir(runtime);
  for (const [, from = "", to = ""] of runtimeStage.matchAll(/^COPY --from=build \/app\/(\S+) \.\/(\S*)$/gm)) {
    // `COPY x ./` keeps the name; `COPY x ./y` renames.
    const target = join(runtime, to || from);
    if (from === "node_modules") await symlink(join(repo, "node_modules"), target, "dir");
    else await cp(join(context, from), target, { recursive: true });
  }
  origin = await startServer(runtime, join(workDir, "data"));
}, 300_000);

afterAll(async () => {
  if (server?.exitCode === null) {
    const exited = new Promise((resolve) => server?.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  await rm(workDir, { recursive: true, force: true });
});

describe("npm start's build step", () => {
  const buildStale = async () =>
    (await run(process.execPath, ["scripts/build.mjs", "--stale"], { cwd: context })).stdout;

  it("rebuilds nothing when no input changed, and only the server when a server file did", async () => {
    expect(await buildStale()).toBe("");
    await appendFile(join(context, "src/server/exit.ts"), "\n// changed\n");
    const output = await buildStale();
    expect(output).toMatch(/^build: server built/m);
    expect(output).not.toMatch(/client/);
  });
});

describe("npm start", () => {
  it("hands a process manager's SIGTERM to the server, which shuts down cleanly", async () => {
    // npm forwards signals to its script's shell; without `exec` the shell swallowed them and
    // the server ran on after the process manager thought it had stopped.
    const npm = spawn("npm", ["start"], {
      cwd: context,
      env: { PATH: process.env.PATH, HOST: "127.0.0.1", PORT: "0", DATA_DIR: join(workDir, "npm-start-data") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    npm.stdout.on("data", collect);
    npm.stderr.on("data", collect);
    const exited = new Promise<number | null>((resolve) => npm.once("exit", resolve));
    await expect.poll(() => output, { timeout: 120_000, interval: 200 }).toMatch(/is ready on http/);

    npm.kill("SIGTERM");
    await exited;
    await expect.poll(() => output, { timeout: 15_000 }).toMatch(/shutdown complete/);
  }, 150_000);
});

describe("the production image's build", () => {
  it("builds with `npm run build` and runs the compiled server as a non-root user", () => {
    expect(buildStage).toMatch(/^RUN npm run build\b/m);
    expect(runtimeStage).toMatch(/^USER (?!root)\w+$/m);
    expect(runtimeStage).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(runtimeStage).toMatch(/^CMD \["node", "dist\/server\/main\.js"\]$/m);
    expect(runtimeStage).not.toMatch(/COPY --from=build \/app\/src\b/);
  });

  it("answers /healthz from the final stage's files alone", async () => {
    const response = await fetch(`${origin}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("serves the built client compressed, index.html revalidated and hashed files kept for good", async () => {
    const page = await fetch(`${origin}/datasets`, { headers: { accept: "text/html", "accept-encoding": "br" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-encoding")).toBe("br");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const html = await page.text();
    const script = html.match(/<script type="module"[^>]* src="([^"]+)"/)?.[1];
    expect(script).toMatch(/^\/assets\//);

    const asset = await fetch(`${origin}${script}`, { headers: { "accept-encoding": "gzip" } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-encoding")).toBe("gzip");
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
  });
});
