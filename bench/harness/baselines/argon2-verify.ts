/**
 * Baseline: the raw argon2id ceiling. One route verifying a password against a hash made with
 * Gantry's own parameters (ARGON2_OPTIONS), nothing else: what a login can never beat on this core.
 */
import Fastify from "fastify";
import { hashPassword, verifyPassword } from "../../../src/server/utils/crypto.js";

const stored = await hashPassword("a perfectly fine passphrase");
const server = Fastify({ logger: false });
server.post<{ Body: { password: string } }>("/verify", async (request, reply) => {
  const ok = await verifyPassword(stored, request.body.password);
  return reply.status(ok ? 200 : 401).send({ ok });
});
server.get("/ready", async () => ({ ok: true }));
// Exit cleanly on SIGTERM, so `--cpu-prof` (BENCH_NODE_FLAGS) writes its profile.
process.once("SIGTERM", () => process.exit(0));
await server.listen({ host: process.env.HOST, port: Number(process.env.PORT) });
