/**
 * Baseline: a bare Fastify route answering what Gantry's cheapest query answers (auth.me for
 * an anonymous caller, superjson-wrapped null), with no plugins, hooks or logger.
 */
import Fastify from "fastify";

const server = Fastify({ logger: false });
const body = JSON.stringify({ result: { data: { json: null } } });
server.get("/trpc/auth.me", async (_request, reply) => reply.type("application/json").send(body));
server.get("/ready", async () => ({ ok: true }));
// Exit cleanly on SIGTERM, so `--cpu-prof` (BENCH_NODE_FLAGS) writes its profile.
process.once("SIGTERM", () => process.exit(0));
await server.listen({ host: process.env.HOST, port: Number(process.env.PORT) });
