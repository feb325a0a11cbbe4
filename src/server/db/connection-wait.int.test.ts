import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPostgres, type TestPostgres, testServiceUrls } from "../testing/services.js";
import { TcpProxy, viaProxy } from "../testing/tcp-proxy.js";
import { reconnectDelaySeconds } from "./client.js";

/**
 * While PostgreSQL refuses connections, a query waits for one at most connect_timeout (Gantry's
 * driver patch bounds the pool's queue too), and a query that gave up never runs once the
 * database is back. Upstream postgres.js 3.4.9 kept queued queries until the outage ended.
 */
describe("waiting for a PostgreSQL connection (postgres.js behind a proxy)", () => {
  let database: TestPostgres;
  let proxy: TcpProxy;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await createTestPostgres();
    await database.handle.close();
    const target = new URL(testServiceUrls.postgresAdmin);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    sql = postgres(viaProxy(database.url, port), {
      max: 3,
      connect_timeout: 1,
      backoff: reconnectDelaySeconds,
      onnotice: () => {},
    });
    await sql`create table marks (note text not null)`;
  });
  afterAll(async () => {
    proxy?.restore();
    await sql?.end({ timeout: 2 });
    await proxy?.stop();
    await database?.drop();
  });

  it("settles every query while the database is still cut off, and runs none of them later", async () => {
    proxy.cut();
    let restored = false;
    // Far more queries than connections: most wait in the pool's queue, the rest are the first
    // query of a connection that keeps failing to open.
    const attempts = Array.from({ length: 20 }, (_, i) =>
      sql`insert into marks (note) values (${`during the cut ${i}`})`.then(
        () => ({ ok: true, code: "", settledWhileCut: !restored }),
        (error: { code?: string }) => ({ ok: false, code: error.code ?? "", settledWhileCut: !restored }),
      ),
    );
    const transaction = sql
      .begin(async (tx) => tx`insert into marks (note) values ('transaction during the cut')`)
      .then(
        () => ({ ok: true, code: "", settledWhileCut: !restored }),
        (error: { code?: string }) => ({ ok: false, code: error.code ?? "", settledWhileCut: !restored }),
      );
    // The cut lasts until every query has its answer, or 30 s (then the test fails).
    const outcomes = await Promise.race([
      Promise.all([...attempts, transaction]),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("queries still waiting after 30 s")), 30_000),
      ),
    ]);
    restored = true;

    expect(outcomes.every((outcome) => outcome.settledWhileCut && !outcome.ok)).toBe(true);
    expect(outcomes.some((outcome) => outcome.code === "CONNECT_TIMEOUT")).toBe(true);
    proxy.restore();

    // Back: the pool serves many queries (no connection stuck on a query that gave up), and
    // nothing written while cut off ran late.
    const deadline = Date.now() + 15_000;
    let served = 0;

    while (Date.now() < deadline && served < 30) {
      // Between rounds the event loop runs: reconnects are timers and sockets.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const round = await Promise.allSettled(Array.from({ length: 30 }, () => sql`select pg_sleep(0.02)`));
      served = round.filter((result) => result.status === "fulfilled").length;
    }
    expect(served).toBe(30);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from marks`;
    expect(row?.n).toBe(0);
  });
});
