/**
 * What one tRPC call costs in Gantry against the same answer from leaner servers, each on the
 * same pinned core, alternating within every round:
 *
 *   - auth.me (anonymous) against a bare Fastify route with the same JSON (req/s), and against
 *     a minimal tRPC v11 server on Fastify with superjson (server CPU per request);
 *   - auth.me signed in against anonymous (the session check's share);
 *   - payments.byId (owner) against Fastify + postgres.js running the same selects;
 *   - users.byId answered from the cache against answers that miss it (every id once);
 *   - system.health against the cheapest query (it probes dependencies at most once a second);
 *   - the server's resident memory after the load against the minimal tRPC server's.
 *
 * Ratios are of server CPU per call (baseline ÷ Gantry, i.e. the throughput each reaches alone
 * on the core); the req/s shown depend on how busy the machine's other work keeps the core.
 */
import { randomUUID } from "node:crypto";
import type { BenchCase, BenchRow } from "../case.js";
import { atLeast, atMost, megabytes, micros, perSecond } from "../harness/format.js";
import { type BenchGantry, queryPath, startGantry } from "../harness/gantry.js";
import { type LoadResult, type LoadTarget, loadRound, warmUp } from "../harness/load.js";
import { log } from "../harness/rounds.js";
import { type BenchServer, startServer } from "../harness/server.js";
import { median } from "../report.js";

const benchCase: BenchCase = {
  name: "procedure-call",
  quick: true,
  async run({ quick }) {
    const rounds = quick ? 3 : 5;
    const seconds = quick ? 1 : 3;
    const servers: BenchServer[] = [];
    let gantry: BenchGantry | undefined;
    try {
      log("procedure-call: starting Gantry and the baselines on the server core…");
      gantry = await startGantry();
      servers.push(await startServer("bare Fastify", "bench/harness/baselines/bare-fastify.ts", {}));
      servers.push(await startServer("minimal tRPC", "bench/harness/baselines/minimal-trpc.ts", {}));
      const pg = await startServer("Fastify + postgres.js", "bench/harness/baselines/fastify-postgres.ts", {
        DATABASE_URL: process.env.BENCH_DATABASE_URL ?? databaseUrlOf(gantry),
      });
      servers.push(pg);
      const [bare, minimal] = servers as [BenchServer, BenchServer];
      const targets = await seed(gantry, { bare, minimal, pg }, rounds * seconds * 4000 + 2000);

      for (const target of Object.values(targets)) if (target !== targets.miss) await warmUp(target);
      const results: Record<keyof typeof targets, LoadResult[]> = {
        anonymous: [],
        bare: [],
        minimal: [],
        signedIn: [],
        payment: [],
        twoSelects: [],
        oneSelect: [],
        hit: [],
        miss: [],
        health: [],
      };
      for (let round = 1; round <= rounds; round++) {
        for (const [name, target] of Object.entries(targets) as Array<[keyof typeof targets, LoadTarget]>) {
          results[name].push(await loadRound(target, seconds));
        }
        log(
          `procedure-call round ${round}: ${Object.entries(results)
            .map(([name, all]) => `${name} ${Math.round(all.at(-1)?.requestsPerSecond ?? 0)}`)
            .join(", ")} req/s`,
        );
      }
      const rps = (name: keyof typeof targets) => median(results[name].map((r) => r.requestsPerSecond));
      const cpu = (name: keyof typeof targets) => median(results[name].map((r) => r.cpuMicrosPerRequest));
      const both = (name: keyof typeof targets) => `${perSecond(rps(name))}, ${micros(cpu(name))}`;

      // Ratios compare server CPU per call (what each would reach alone on the core): on a shared
      // machine req/s also measures how much of the core the neighbours left, so it is shown only.
      const speed = (a: keyof typeof targets, b: keyof typeof targets) => cpu(b) / cpu(a);
      const rows: BenchRow[] = [];
      const cheapest = speed("anonymous", "bare");
      rows.push({
        what: "cheapest query (auth.me, anonymous) vs bare Fastify route",
        gantry: both("anonymous"),
        baseline: both("bare"),
        ratio: cheapest,
        ...atLeast(cheapest, 0.35),
      });
      const chain = cpu("anonymous") / cpu("minimal");
      rows.push({
        what: "  same, server CPU per call vs minimal tRPC v11 + superjson",
        gantry: micros(cpu("anonymous")),
        baseline: micros(cpu("minimal")),
        ratio: chain,
        ...atMost(chain, 1.25),
      });
      const payment = speed("payment", "twoSelects");
      rows.push({
        what: "payments.byId (owner) vs Fastify + postgres.js, same two selects",
        gantry: both("payment"),
        baseline: both("twoSelects"),
        ratio: payment,
        ...atLeast(payment, 0.6),
      });
      const oneSelect = speed("payment", "oneSelect");
      rows.push({
        what: "  same, vs one select (informational)",
        gantry: both("payment"),
        baseline: both("oneSelect"),
        ratio: oneSelect,
        aim: "",
      });
      const cache = speed("hit", "miss");
      rows.push({
        what: "users.byId cache hit vs miss",
        gantry: both("hit"),
        baseline: both("miss"),
        ratio: cache,
        ...atLeast(cache, 3),
      });
      const session = speed("signedIn", "anonymous");
      rows.push({
        what: "auth.me signed in vs anonymous",
        gantry: both("signedIn"),
        baseline: both("anonymous"),
        ratio: session,
        ...atLeast(session, 0.9),
      });
      const health = speed("health", "anonymous");
      rows.push({
        what: "system.health vs cheapest query",
        gantry: both("health"),
        baseline: both("anonymous"),
        ratio: health,
        ...atLeast(health, 0.8),
      });
      const memory = (await gantry.server.rss()) / (await minimal.rss());
      rows.push({
        what: "server memory after the load vs minimal tRPC",
        gantry: megabytes(await gantry.server.rss()),
        baseline: megabytes(await minimal.rss()),
        ratio: memory,
        aim: "measure",
      });
      return rows;
    } finally {
      for (const server of servers) await server.stop();
      await gantry?.close();
    }
  },
};
export default benchCase;

function databaseUrlOf(gantry: BenchGantry): string {
  const options = gantry.sql.options;
  return `postgres://${options.user}@${options.host[0]}:${options.port[0]}/${options.database}`;
}

/** Users, a session, a payment and enough distinct users that every cache-miss call is a first. */
export async function seed(
  gantry: BenchGantry,
  baselines: { bare: BenchServer; minimal: BenchServer; pg: BenchServer },
  misses: number,
) {
  const owner = await gantry.call<{ accessToken: string; user: { id: string } }>("mutation", "auth.signup", {
    email: "owner@bench.test",
    password: "a perfectly fine passphrase",
    name: "Owner",
  });
  const admin = await gantry.call<{ accessToken: string }>("mutation", "auth.login", gantry.admin);
  const payment = await gantry.call<{ id: string }>(
    "mutation",
    "payments.create",
    { amount: 1250, currency: "EUR", paymentMethod: "pm_card_visa", idempotencyKey: randomUUID() },
    owner.accessToken,
  );
  const ids = await gantry.sql<Array<{ id: string }>>`
    insert into users (email, name, password_hash)
    select 'miss' || g || '@bench.test', 'Miss ' || g, 'not a hash' from generate_series(1, ${misses}) g
    returning id`;
  let missed = 0;
  const signedIn = (token: string) => ({ authorization: `Bearer ${token}` });
  const server = gantry.server;
  return {
    anonymous: { server, path: queryPath("auth.me") },
    bare: { server: baselines.bare, path: "/trpc/auth.me" },
    minimal: { server: baselines.minimal, path: "/trpc/auth.me" },
    signedIn: { server, path: queryPath("auth.me"), headers: signedIn(owner.accessToken) },
    payment: { server, path: queryPath("payments.byId", { id: payment.id }), headers: signedIn(owner.accessToken) },
    twoSelects: { server: baselines.pg, path: `/payment/${payment.id}` },
    oneSelect: { server: baselines.pg, path: `/one/${payment.id}` },
    hit: { server, path: queryPath("users.byId", { id: owner.user.id }), headers: signedIn(admin.accessToken) },
    miss: {
      server,
      path: queryPath("users.byId", { id: ids[0]?.id }),
      nextPath: () => queryPath("users.byId", { id: ids[missed++ % ids.length]?.id }),
      headers: signedIn(admin.accessToken),
    },
    health: { server, path: queryPath("system.health") },
  } satisfies Record<string, LoadTarget>;
}
