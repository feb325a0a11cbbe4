/**
 * Baseline: the smallest tRPC v11 server on Fastify with tRPC's own adapter and superjson,
 * one procedure answering what Gantry's anonymous auth.me answers. What Gantry adds on top
 * of this is its middleware chain, hooks and plugins.
 */
import { initTRPC } from "@trpc/server";
import { fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import Fastify from "fastify";
import superjson from "superjson";

const t = initTRPC.create({ transformer: superjson });
const appRouter = t.router({ auth: t.router({ me: t.procedure.query(() => null) }) });

const server = Fastify({ logger: false });
await server.register(fastifyTRPCPlugin, { prefix: "/trpc", trpcOptions: { router: appRouter } });
server.get("/ready", async () => ({ ok: true }));
// Exit cleanly on SIGTERM, so `--cpu-prof` (BENCH_NODE_FLAGS) writes its profile.
process.once("SIGTERM", () => process.exit(0));
await server.listen({ host: process.env.HOST, port: Number(process.env.PORT) });
