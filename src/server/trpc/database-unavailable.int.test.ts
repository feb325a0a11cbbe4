import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../testing/app.js";
import { createTestPostgres, type TestPostgres, testServiceUrls } from "../testing/services.js";
import { TcpProxy, viaProxy } from "../testing/tcp-proxy.js";

/**
 * A database that cannot be reached is an outage, not a bug: callers get a typed, retryable
 * 503 SERVICE_UNAVAILABLE that says when to try again, and the same call works once it is back.
 */
/** Waits until `count()` has not changed for half a second (at most 5 s). */
async function settle(count: () => number): Promise<void> {
  const deadline = Date.now() + 5000;
  let last = count();
  let stableSince = Date.now();
  while (Date.now() < deadline && Date.now() - stableSince < 500) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (count() !== last) {
      last = count();
      stableSince = Date.now();
    }
  }
}

const PROCEDURE_TIMEOUT_MS = 2000;

describe("database unavailable (PostgreSQL behind a proxy)", () => {
  let database: TestPostgres;
  let proxy: TcpProxy;
  let app: TestApp;
  let token: string;

  const listPayments = async () => {
    const http = app.gantry.http;
    if (!http) throw new Error("no http server");
    const input = encodeURIComponent(JSON.stringify({ json: {} }));
    const response = await http.inject({
      method: "GET",
      url: `/trpc/payments.list?input=${input}`,
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.statusCode, headers: response.headers, body: response.json() };
  };

  beforeAll(async () => {
    database = await createTestPostgres();
    await database.handle.close();
    const target = new URL(testServiceUrls.postgresAdmin);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    app = await createTestApp("services", {
      DATABASE_URL: viaProxy(database.url, port),
      PROCEDURE_TIMEOUT_MS: String(PROCEDURE_TIMEOUT_MS),
      PIPELINE_PREVIEW_TIMEOUT_MS: "1000",
    });
    token = (await app.signup()).token;
  });
  afterAll(async () => {
    proxy?.restore();
    await app?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it("answers 503 SERVICE_UNAVAILABLE with retryAfterMs while the database is cut off, then recovers", async () => {
    expect((await listPayments()).status).toBe(200);

    // Let connections the app opens in the background finish their handshake: postgres.js
    // leaves an unhandled rejection when one is cut while fetching types (handled elsewhere).
    await settle(() => proxy.connections);
    proxy.cut();
    const refused = await listPayments();
    expect(refused.status).toBe(503);
    const error = refused.body.error.json;
    expect(error.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.data.retryAfterMs).toBeGreaterThan(0);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect(error.message).not.toMatch(/ECONN|CONNECTION_|postgres|select/i);

    proxy.restore();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await listPayments()).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });

  it("answers a call that waits on a silent database with a retryable 503 naming PROCEDURE_TIMEOUT_MS", async () => {
    expect((await listPayments()).status).toBe(200);
    proxy.silence();
    let answer: Awaited<ReturnType<typeof listPayments>>;
    try {
      // Connections stay open and nothing comes back: no driver error will ever end the wait.
      answer = await Promise.race([
        listPayments(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer within 15 s")), 15_000)),
      ]);
    } finally {
      proxy.restore();
    }
    expect(answer.status).toBe(503);
    expect(answer.body.error.json.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(answer.body.error.json.data.retryAfterMs).toBeGreaterThan(0);
    expect(answer.body.error.json.message).toContain("PROCEDURE_TIMEOUT_MS");

    // Back: silenced connections are dropped and the pool reconnects.
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await listPayments()).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });
});
