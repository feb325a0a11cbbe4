import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testServiceUrls, uniqueName } from "./testing/services.js";

/** Runs `npm start`'s server entry as a real process, the way an operator would. */
function startServer(env: Record<string, string>) {
  return startProcess("src/server/main.ts", env);
}

/** An entry point as its own process; its output is kept for failure messages. */
function startProcess(
  entry: string,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function waitUntilReady(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server on ${port} never became ready`);
}

async function waitForMetric(port: number, ready: (metrics: string) => boolean): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    if (ready(text)) return;
  }
  throw new Error("the requests never all reached the server");
}

const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "gantry-proc-"));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("start-up problems end with one line naming the variable", () => {
  it("a malformed URL", async () => {
    const server = startServer({ REDIS_URL: "http://not-redis", DATA_DIR: await dataDir() });
    expect(await server.exit).toBe(1);
    expect(server.output().trim()).toBe("gantry: REDIS_URL: must be a URL starting with redis:// or rediss://");
  });

  it("an unreachable service", async () => {
    const server = startServer({
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/nowhere",
      REDIS_URL: testServiceUrls.redis,
      AMQP_URL: testServiceUrls.amqp,
      DATA_DIR: await dataDir(),
    });
    expect(await server.exit).toBe(1);
    const lines = server.output().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gantry: DATABASE_URL: cannot reach PostgreSQL/);
  });

  it("embedded defaults in production", async () => {
    const server = startServer({ NODE_ENV: "production", DATA_DIR: await dataDir() });
    expect(await server.exit).toBe(1);
    expect(server.output().trim()).toMatch(
      /^gantry: DATABASE_URL, REDIS_URL, AMQP_URL, JWT_SECRET, SMTP_URL: required/,
    );
  });
});

describe("SIGTERM", () => {
  it("lets in-flight requests finish, then exits 0", async () => {
    const port = 3400 + Math.floor(Math.random() * 500);
    const server = startServer({ PORT: String(port), HOST: "127.0.0.1", DATA_DIR: await dataDir() });
    await waitUntilReady(port);

    // Sign-ups hash passwords with argon2id (tens of ms each, four at a time): a burst of them
    // is still running when the signal arrives. The signal is sent only once the server has
    // received every one of them (in flight or already answered), so each is truly in flight.
    const requests = Array.from({ length: 16 }, (_, i) =>
      fetch(`http://127.0.0.1:${port}/trpc/auth.signup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { email: `drain${i}@gantry.test`, password: "draining passphrase", name: "D" } }),
      }).then((r) => r.status),
    );
    await waitForMetric(port, (text) => {
      const inFlight = Number(text.match(/^gantry_http_requests_in_flight (\d+)/m)?.[1] ?? 0) - 1; // minus this scrape
      const answered = Number(text.match(/^gantry_trpc_requests_total\{path="auth.signup"[^}]*\} (\d+)/m)?.[1] ?? 0);
      return inFlight + answered >= 16 && inFlight > 0;
    });
    server.child.kill("SIGTERM");

    expect(await Promise.all(requests)).toEqual(Array(16).fill(200));
    expect(await server.exit).toBe(0);
    // And it really stopped listening.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe("API and workers as separate processes (services mode)", () => {
  it("the API takes requests without workers; a worker process consumes their events", async () => {
    const { createTestPostgres } = await import("./testing/services.js");
    const { cleanupNamespace } = await import("./testing/cleanup.js");
    const database = await createTestPostgres();
    await database.handle.close();
    const namespace = uniqueName("split");
    const port = 3900 + Math.floor(Math.random() * 90);
    const shared = {
      DATABASE_URL: database.url,
      REDIS_URL: testServiceUrls.redis,
      AMQP_URL: testServiceUrls.amqp,
      NAMESPACE: namespace,
      DATA_DIR: await dataDir(),
      ADMIN_EMAIL: "root@gantry.test",
      ADMIN_PASSWORD: "split processes passphrase",
    };
    const api = startServer({ ...shared, PORT: String(port), HOST: "127.0.0.1", RUN_WORKERS: "false" });
    const worker = startProcess("src/server/worker.ts", shared);
    const timeout = { signal: AbortSignal.timeout(10_000) };
    try {
      await waitUntilReady(port);
      const post = (path: string, body: unknown, token?: string) =>
        fetch(`http://127.0.0.1:${port}/trpc/${path}`, {
          ...timeout,
          method: "POST",
          headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ json: body }),
        }).then((r) => r.json() as Promise<{ result: { data: { json: { accessToken: string } } } }>);
      const login = await post("auth.login", { email: shared.ADMIN_EMAIL, password: shared.ADMIN_PASSWORD });
      const token = login.result.data.json.accessToken;
      // The audit log is written only by the worker's consumer.
      const input = encodeURIComponent(JSON.stringify({ json: { page: 1, pageSize: 50 } }));
      let types: string[] = [];
      // Up to a minute: under a full parallel test run a worker can take a while to boot.
      for (let i = 0; i < 300 && !types.includes("user.logged_in"); i += 1) {
        await new Promise((r) => setTimeout(r, 200));
        const page = await fetch(`http://127.0.0.1:${port}/trpc/audit.list?input=${input}`, {
          signal: AbortSignal.timeout(10_000),
          headers: { authorization: `Bearer ${token}` },
        }).then((r) => r.json() as Promise<{ result: { data: { json: { items: Array<{ type: string }> } } } }>);
        types = page.result.data.json.items.map((item) => item.type);
      }
      const diagnostics = `api said:\n${api.output()}\nworker said:\n${worker.output()}`;
      expect(types, diagnostics).toContain("user.logged_in");
      expect(types, diagnostics).toContain("user.registered");
    } finally {
      api.child.kill("SIGTERM");
      worker.child.kill("SIGTERM");
      expect(await api.exit, api.output()).toBe(0);
      expect(await worker.exit, worker.output()).toBe(0);
      await database.drop();
      await cleanupNamespace(namespace);
    }
  }, 180_000);
});

describe("SIGTERM with CSV exports in flight (services mode)", () => {
  it("ends the downloads, drains within SHUTDOWN_TIMEOUT_MS and exits 0", async () => {
    const { createTestPostgres } = await import("./testing/services.js");
    const { cleanupNamespace } = await import("./testing/cleanup.js");
    const postgres = (await import("postgres")).default;
    const database = await createTestPostgres();
    await database.handle.close();
    const namespace = uniqueName("exp");
    const port = 3400 + Math.floor(Math.random() * 500);
    const server = startServer({
      DATABASE_URL: database.url,
      REDIS_URL: testServiceUrls.redis,
      AMQP_URL: testServiceUrls.amqp,
      NAMESPACE: namespace,
      DATA_DIR: await dataDir(),
      PORT: String(port),
      HOST: "127.0.0.1",
      SHUTDOWN_TIMEOUT_MS: "8000",
    });
    const db = postgres(database.url, { max: 1, onnotice: () => {} });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitUntilReady(port);
      const signup = await fetch(`${base}/trpc/auth.signup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { email: "exporter@gantry.test", password: "exporting passphrase", name: "E" } }),
      }).then((r) => r.json() as Promise<{ result: { data: { json: { accessToken: string } } } }>);
      const auth = { authorization: `Bearer ${signup.result.data.json.accessToken}` };
      const upload = await fetch(`${base}/api/datasets?name=big`, {
        method: "POST",
        headers: { ...auth, "content-type": "text/csv" },
        body: "label,n\nfirst,1\n",
      }).then((r) => r.json() as Promise<{ datasetId: string }>);
      const input = encodeURIComponent(JSON.stringify({ json: { id: upload.datasetId } }));
      let status = "importing";
      for (let i = 0; i < 300 && status === "importing"; i += 1) {
        await new Promise((r) => setTimeout(r, 200));
        const view = await fetch(`${base}/trpc/pipelines.datasets.byId?input=${input}`, { headers: auth }).then(
          (r) => r.json() as Promise<{ result: { data: { json: { status: string } } } }>,
        );
        status = view.result.data.json.status;
      }
      // Grow the table so that each download is far larger than the socket buffers hold.
      const [row] = await db<Array<{ table_name: string; columns: Array<{ key: string }> }>>`
        select table_name, columns from datasets where id = ${upload.datasetId}`;
      const [label, n] = (row?.columns ?? []).map((c) => c.key);
      await db.unsafe(
        `insert into "${row?.table_name}" ("${label}", "${n}") select 'row ' || g, g from generate_series(2, 300000) g`,
      );

      // Two downloads whose clients read a little and then stop reading.
      const downloads = await Promise.all(
        [0, 1].map(async () => {
          const response = await fetch(`${base}/api/datasets/${upload.datasetId}/export.csv`, { headers: auth });
          const reader = response.body?.getReader();
          await reader?.read();
          return reader;
        }),
      );
      const started = Date.now();
      server.child.kill("SIGTERM");
      expect(await server.exit, server.output()).toBe(0);
      expect(Date.now() - started).toBeLessThan(8000);
      for (const reader of downloads) {
        const outcome = await (async () => {
          for (;;) if ((await reader?.read())?.done) return "complete";
        })().catch(() => "cut short");
        expect(outcome).toBe("cut short");
      }
      const [copies] = await db<Array<{ n: number }>>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and query ilike 'copy (%' and state <> 'idle'`;
      expect(copies?.n).toBe(0);
    } finally {
      server.child.kill("SIGKILL");
      await db.end();
      await database.drop();
      await cleanupNamespace(namespace);
    }
  }, 180_000);
});
