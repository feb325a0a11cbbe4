/**
 * `npx tsx bench/join.ts embedded|services`: what the join step's bounds cost (decision 0015).
 * A measurement, not a test, and not yet a case of `npm run bench`:
 *
 *   worst case: two 100 000-row data sets with one key value (10^10 pairs unbounded), as a
 *               preview (stopped at 1 000 000 pairs) and as a run (stopped at
 *               PIPELINE_JOIN_MAX_ROWS, 10 000 000): how long until each is refused.
 *   1:N (PostgreSQL only): a 500 000-row data set joined with 1 000 unique keys, Gantry's run
 *               vs. the same `create table ... as select ... join` by hand, 3 rounds, median.
 */
import { createTestApp } from "../src/server/testing/app.js";
import { importData, waitForRun } from "../src/server/testing/pipelines.js";
import type { Step } from "../src/shared/schemas/pipelines.js";

const mode = process.argv[2] as "embedded" | "services";
const app = await createTestApp(mode, { UPLOAD_MAX_BYTES: String(2 ** 30) });
try {
  const { token } = await app.signup();
  const api = app.caller({ token });
  const csv = (n: number, row: (i: number) => string, header: string) =>
    `${header}\n${Array.from({ length: n }, (_, i) => row(i)).join("\n")}\n`;
  const join = (datasetId: string): Step => ({
    type: "join",
    datasetId,
    kind: "inner",
    on: [{ left: "k", right: "k" }],
    prefix: "r_",
    rename: [],
  });

  // Worst case: one key value on both sides, 100 000 rows each (10^10 pairs unbounded).
  const same = (
    await importData(
      app,
      token,
      csv(100_000, (i) => `1,${i}`, "k,v"),
      { name: "same" },
    )
  ).dataset.id;
  let began = performance.now();
  const answer = await api.pipelines
    .preview({ datasetId: same, steps: [join(same)], limit: 50 })
    .then(() => "rows")
    .catch((e: Error) => e.message.slice(0, 90));
  console.log(
    `${mode} worst-case preview (1e5 x 1e5 rows, one key): ${Math.round(performance.now() - began)} ms: ${answer}`,
  );
  const blow = await api.pipelines.create({ name: "blow", datasetId: same, steps: [join(same)] });
  began = performance.now();
  const blown = await waitForRun(
    app,
    token,
    (await api.pipelines.run({ pipelineId: blow.id, idempotencyKey: "b" })).id,
  );
  console.log(
    `${mode} worst-case run: ${Math.round(performance.now() - began)} ms: ${blown.status} ${blown.error?.slice(0, 60)}`,
  );

  if (mode === "services") {
    // An ordinary 1:N join, Gantry's run vs the same create table as written by hand.
    const orders = (
      await importData(
        app,
        token,
        csv(500_000, (i) => `${i % 1000},${i}`, "k,amount"),
        { name: "o" },
      )
    ).dataset;
    const items = (
      await importData(
        app,
        token,
        csv(1000, (i) => `${i},item ${i}`, "k,label"),
        { name: "p" },
      )
    ).dataset;
    const driver = app.gantry.deps.database.driver;
    if (driver.kind !== "postgres") throw new Error("postgres");
    const sql = driver.sql;
    const table = async (id: string) =>
      (await sql`select table_name from datasets where id = ${id}`)[0]?.table_name as string;
    const [ot, it] = [await table(orders.id), await table(items.id)];
    const pipeline = await api.pipelines.create({ name: "1:N", datasetId: orders.id, steps: [join(items.id)] });
    const gantry: number[] = [];
    const hand: number[] = [];
    for (let round = 0; round < 3; round++) {
      const run = await waitForRun(
        app,
        token,
        (await api.pipelines.run({ pipelineId: pipeline.id, idempotencyKey: `r${round}` })).id,
      );
      const view = await api.pipelines.runById({ runId: run.runId });
      gantry.push((view.finishedAt?.getTime() ?? 0) - (view.startedAt?.getTime() ?? 0));
      const t = performance.now();
      await sql.unsafe(
        `create table hand_${round} as select o.__row, o.k, o.amount, i.label as r_label from "${ot}" o join "${it}" i on o.k = i.k`,
      );
      hand.push(performance.now() - t);
      await api.pipelines.datasets.delete({ id: run.outputDatasetId ?? "" });
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] ?? 0;
    console.log(
      `1:N join of 500 000 x 1 000 rows: gantry run ${gantry.map(Math.round).join("/")} ms, hand ${hand.map(Math.round).join("/")} ms, ratio ${(med(gantry) / med(hand)).toFixed(2)}x`,
    );
  }
} finally {
  await app.close();
}
