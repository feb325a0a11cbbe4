/**
 * Baseline: Fastify and postgres.js running the selects Gantry's payments.byId runs (the
 * payment, then its refunds), with no session, rate limit or serialisation layer between.
 * /one runs only the first select, the floor for a read by id.
 */
import Fastify from "fastify";
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL as string, { max: 5, onnotice: () => {} });
const server = Fastify({ logger: false });
server.get<{ Params: { id: string } }>("/payment/:id", async (request) => {
  const [payment] = await sql`select * from payments where id = ${request.params.id}`;
  const refunds = await sql`select * from payment_refunds where payment_id = ${request.params.id} order by created_at`;
  return { payment, refunds };
});
server.get<{ Params: { id: string } }>("/one/:id", async (request) => {
  const [payment] = await sql`select * from payments where id = ${request.params.id}`;
  return { payment };
});
server.get("/ready", async () => ({ ok: true }));
// Exit cleanly on SIGTERM, so `--cpu-prof` (BENCH_NODE_FLAGS) writes its profile.
process.once("SIGTERM", () => process.exit(0));
await server.listen({ host: process.env.HOST, port: Number(process.env.PORT) });
