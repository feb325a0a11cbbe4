// A child process for the backend-termination tests: postgres.js alone, busy with plain queries,
// transactions and a reserved connection until its parent writes "stop" on stdin. It then runs
// one last query (the pool must have recovered) and prints a JSON summary. An uncaught exception
// from the driver kills it with a non-zero exit code, which is what the tests look for.
import postgres from "postgres";

// Configured as Gantry configures it (db/client.ts): reconnects back off to at most 2 s.
const backoff = (retries) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, 2);
const sql = postgres(process.env.DATABASE_URL, { max: 4, onnotice: () => {}, connect_timeout: 5, backoff });
const counts = { ok: 0, failed: 0 };
let running = true;

async function attempt(work) {
  try {
    await work();
    counts.ok += 1;
  } catch {
    counts.failed += 1;
  }
}

const kinds = [
  () => sql`select ${Math.random()}::float8 as x, pg_sleep(0.001)`,
  () =>
    sql.begin(async (tx) => {
      await tx`select 1`;
      await tx`select pg_sleep(0.002)`;
    }),
  async () => {
    const reserved = await sql.reserve();
    try {
      await reserved`select 1`;
      await reserved`select 2`;
    } finally {
      reserved.release();
    }
  },
];

const loops = kinds.flatMap((work) =>
  [0, 1].map(async () => {
    while (running) await attempt(work);
  }),
);

process.stdin.setEncoding("utf8");
process.stdin.on("data", async (text) => {
  if (!text.includes("stop") || !running) return;
  running = false;
  await Promise.all(loops);
  // The first query after the storm may still meet a connection closed a moment ago: retry briefly.
  let final = "failed";
  for (let i = 0; i < 50 && final !== "ok"; i += 1) {
    try {
      const [row] = await sql`select 41 + 1 as answer`;
      if (row.answer === 42) final = "ok";
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  process.stdout.write(`${JSON.stringify({ ...counts, final })}\n`);
  await sql.end({ timeout: 2 });
  process.exit(0);
});
process.stdout.write("ready\n");
