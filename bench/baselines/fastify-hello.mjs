// The baseline of bench/cases/cold-start.ts: a bare Fastify server with one route, started the
// way Gantry's compiled server is (`node <file>`), so the difference is Gantry's own start-up.
import Fastify from "fastify";

const server = Fastify();
server.get("/healthz", async () => ({ status: "ok" }));
await server.listen({ host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 3000) });
const stop = () => void server.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
