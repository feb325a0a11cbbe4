import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CopyExports } from "../db/copy-exports.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { importData } from "../testing/pipelines.js";

/**
 * CSV exports on the real PostgreSQL: downloads that are abandoned, too many, too long, or
 * still running at shutdown must not take the database away from everyone else.
 */
describe("CSV exports (PostgreSQL)", () => {
  let app: TestApp;
  let db: postgres.Sql;
  let base: string;
  let token: string;
  let bigId: string;
  /** A second account with a big data set of its own: the per-user cap leaves it room. */
  let otherToken: string;
  let otherBigId: string;

  beforeAll(async () => {
    app = await createTestApp("services", { EXPORT_MAX_CONCURRENT: "4" });
    const http = app.gantry.http;
    if (!http) throw new Error("no http server");
    base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
    db = postgres(app.gantry.deps.config.databaseUrl ?? "", { max: 1, onnotice: () => {} });
    ({ token } = await app.signup());
    ({ token: otherToken } = await app.signup());
    bigId = await bigDataset(token);
    otherBigId = await bigDataset(otherToken);
  }, 180_000);
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  const exportUrl = (id: string, query = "") => `${base}/api/datasets/${id}/export.csv${query}`;
  const auth = (as = token) => ({ authorization: `Bearer ${as}` });

  /**
   * Uploads a small file, then grows its table in SQL: an export of it takes far more than
   * the socket buffers hold, so an abandoned one is caught mid-COPY.
   */
  async function bigDataset(owner: string): Promise<string> {
    const { dataset } = await importData(app, owner, "label,n\nfirst,1\n", { name: "big" });
    const [row] = await db<Array<{ table_name: string; columns: Array<{ key: string }> }>>`
      select table_name, columns from datasets where id = ${dataset.id}`;
    if (!row) throw new Error("no data set row");
    const [label, n] = row.columns.map((c) => c.key) as [string, string];
    await db.unsafe(
      `insert into "${row.table_name}" ("${label}", "${n}") select 'row number ' || g, g from generate_series(2, 300000) g`,
    );
    return dataset.id;
  }

  /** Exports that are running (not idle) on the test's own database. */
  async function runningCopies(): Promise<number> {
    const [row] = await db<Array<{ n: number }>>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and state <> 'idle' and query ilike 'copy (%'`;
    return row?.n ?? 0;
  }

  async function untilNoCopies(what: string): Promise<void> {
    for (let i = 0; i < 50; i += 1) {
      if ((await runningCopies()) === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${what}: a COPY is still running on the database`);
  }

  /** No COPY left on the database, and every export's place given back in the app. */
  async function untilNoExports(what: string): Promise<void> {
    await untilNoCopies(what);
    const { exports } = app.gantry.deps;
    for (let i = 0; i < 50 && exports.active > 0; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(exports.active, `${what}: exports still hold their places`).toBe(0);
  }

  /** Starts a download and reads its first bytes; the caller decides when to walk away. */
  async function startExport(
    as = token,
    id = bigId,
  ): Promise<{ status: number; abort: () => void; body: Promise<string> }> {
    const controller = new AbortController();
    const response = await fetch(exportUrl(id), { headers: auth(as), signal: controller.signal });
    if (response.status !== 200) return { status: response.status, abort: () => {}, body: response.text() };
    const reader = response.body?.getReader();
    const first = await reader?.read();
    const decoder = new TextDecoder();
    const body = (async () => {
      let text = decoder.decode(first?.value);
      for (;;) {
        const next = await reader?.read();
        if (!next || next.done) return text;
        text += decoder.decode(next.value);
      }
    })();
    body.catch(() => {});
    return { status: 200, abort: () => controller.abort(), body };
  }

  it("neutralises spreadsheet formulas in text cells, keeps numbers, and can be told not to", async () => {
    const csv =
      'label,amount,note\n"=HYPERLINK(""http://evil.example"",""click"")",-5,x\n+1 more,3,@SUM(A1)\nplain,-7,-minus\n';
    const { dataset } = await importData(app, token, csv, { name: "formulas" });
    const escaped = await fetch(exportUrl(dataset.id), { headers: auth() });
    expect(escaped.status).toBe(200);
    expect(await escaped.text()).toBe(
      'label,amount,note\n"\'=HYPERLINK(""http://evil.example"",""click"")",-5,x\n\'+1 more,3,\'@SUM(A1)\nplain,-7,\'-minus\n',
    );
    const kept = await fetch(exportUrl(dataset.id, "?formulas=keep"), { headers: auth() });
    expect(await kept.text()).toBe(csv);
    const bad = await fetch(exportUrl(dataset.id, "?formulas=maybe"), { headers: auth() });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("BAD_REQUEST");
  });

  it("ends the COPY of every export whose client walks away; the app keeps answering", async () => {
    for (let wave = 0; wave < 4; wave += 1) {
      // Two accounts, two each: EXPORT_MAX_CONCURRENT_PER_USER (2) would refuse a third.
      const exports = await Promise.all([
        startExport(),
        startExport(),
        startExport(otherToken, otherBigId),
        startExport(otherToken, otherBigId),
      ]);
      expect(exports.map((e) => e.status)).toEqual([200, 200, 200, 200]);
      for (const started of exports) started.abort();
      await untilNoCopies(`after wave ${wave + 1} of abandoned exports`);
    }
    // 16 abandoned downloads later, ordinary calls and the readiness probe still answer.
    const me = await fetch(`${base}/trpc/auth.me`, { headers: auth(), signal: AbortSignal.timeout(5000) });
    expect(me.status).toBe(200);
    const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5000) });
    expect(ready.status).toBe(200);
    const complete = await fetch(exportUrl(bigId), { headers: auth(), signal: AbortSignal.timeout(60_000) });
    expect((await complete.text()).split("\n")).toHaveLength(300_002);
  }, 120_000);

  it("refuses the export past EXPORT_MAX_CONCURRENT with 429, naming the setting", async () => {
    const { token: third } = await app.signup();
    const { dataset: small } = await importData(app, third, "a\n1\n", { name: "small" });
    const held = await Promise.all([
      startExport(),
      startExport(),
      startExport(otherToken, otherBigId),
      startExport(otherToken, otherBigId),
    ]);
    try {
      expect(held.map((e) => e.status)).toEqual([200, 200, 200, 200]);
      const refused = await fetch(exportUrl(small.id), { headers: auth(third) });
      expect(refused.status).toBe(429);
      const { error } = (await refused.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("TOO_MANY_REQUESTS");
      expect(error.message).toContain("EXPORT_MAX_CONCURRENT=4");
    } finally {
      for (const started of held) started.abort();
    }
    await untilNoExports("after the held exports were abandoned");
  }, 60_000);

  it("refuses a user's export past EXPORT_MAX_CONCURRENT_PER_USER with 429; other users still export", async () => {
    const held = await Promise.all([startExport(), startExport()]);
    const others: Array<{ abort: () => void }> = [];
    try {
      expect(held.map((e) => e.status)).toEqual([200, 200]);
      const refused = await fetch(exportUrl(bigId), { headers: auth() });
      expect(refused.status).toBe(429);
      const { error } = (await refused.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("TOO_MANY_REQUESTS");
      expect(error.message).toContain("EXPORT_MAX_CONCURRENT_PER_USER=2");
      // The server as a whole has room left, and another account gets it.
      const other = await startExport(otherToken, otherBigId);
      others.push(other);
      expect(other.status).toBe(200);
    } finally {
      for (const started of [...held, ...others]) started.abort();
    }
    await untilNoExports("after the held exports were abandoned");
    // The places are given back: the same user may export again.
    const again = await startExport();
    again.abort();
    expect(again.status).toBe(200);
    await untilNoExports("after the last export was abandoned");
  }, 60_000);

  it("ends an export that runs past its time limit, and its COPY with it", async () => {
    const timeoutMs = 500;
    const exports = new CopyExports(app.gantry.deps.database, { maxConcurrent: 1, maxConcurrentPerUser: 1, timeoutMs });
    // Nobody reads this stream: without the limit it would wait on its reader for ever.
    const started = Date.now();
    const stream = await exports.open(
      "select g, repeat('x', 200) from generate_series(1, 200000) g",
      "format csv",
      "someone",
    );
    await new Promise((resolve) => stream.once("close", resolve));
    expect(Date.now() - started).toBeLessThan(timeoutMs * 20);
    await untilNoCopies("after the export timed out");
    // Its place is given back once its connection has closed.
    for (let i = 0; i < 50 && exports.active > 0; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(exports.active).toBe(0);
  }, 60_000);

  it("ends running exports when the app shuts down, and shutdown completes", async () => {
    const running = await Promise.all([startExport(), startExport()]);
    expect(running.map((e) => e.status)).toEqual([200, 200]);
    const started = Date.now();
    await app.gantry.stop();
    // SIGTERM's deadline: past it the process would exit 1 (see shutdown.ts).
    expect(Date.now() - started).toBeLessThan(app.gantry.deps.config.shutdownTimeoutMs);
    // The downloads are cut short (never a complete file), and no COPY is left behind.
    for (const started of running) {
      const outcome = await started.body.then(
        (text) => `complete: ${text.length} bytes`,
        () => "cut short",
      );
      expect(outcome).toBe("cut short");
    }
    await untilNoCopies("after shutdown");
  }, 60_000);
});
