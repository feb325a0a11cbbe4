/**
 * Pipeline run: a filter + group-by pipeline run as a job (one statement, output written as a
 * new data set in one transaction) against the same `create table … as select` written by hand
 * over a plain table holding the same rows. Aim: at most 1.3× the hand-written time.
 * BENCH_ROWS (default 1 000 000) and BENCH_ROUNDS (default 3) adjust it.
 */
import type postgres from "postgres";
import { collect } from "../../src/server/testing/pipelines.js";
import type { Step } from "../../src/shared/schemas/pipelines.js";
import type { BenchCase } from "../case.js";
import { atMost, milliseconds } from "../harness/format.js";
import { log } from "../harness/rounds.js";
import { median } from "../report.js";
import { gantryImport, rawCopy, startOrdersBench } from "./_orders.js";

const STEPS: Step[] = [
  { type: "filter", column: "amount", operator: "gt", value: 250 },
  {
    type: "aggregate",
    groupBy: ["region", "category"],
    aggregations: [
      { function: "count", as: "orders" },
      { function: "sum", column: "amount", as: "revenue" },
      { function: "avg", column: "quantity", as: "avg_quantity" },
    ],
  },
];
const HAND_WRITTEN = (table: string) =>
  `create table ${table} as select region, category, count(*) as orders, sum(amount) as revenue, ` +
  `avg(quantity)::double precision as avg_quantity from bench_plain where amount > 250 group by region, category`;

const benchCase: BenchCase = {
  name: "pipeline-run",
  quick: false,
  async run() {
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    const bench = await startOrdersBench();
    try {
      const { sql, actor } = bench;
      const { deps } = bench.app.gantry;
      await rawCopy(sql, bench.file);
      const { datasetId } = await gantryImport(bench, "bench");
      await sql.unsafe("analyze bench_plain");
      const table = (await sql`select table_name from datasets where id = ${datasetId}`)[0]?.table_name as string;
      await sql.unsafe(`analyze "${table}"`);

      const definition = await deps.pipelines.definitions.create(actor, { name: "bench", datasetId, steps: STEPS });
      const hand: number[] = [];
      const runs: number[] = [];
      const jobs: number[] = [];
      let outputId = "";
      for (let round = 1; round <= rounds; round++) {
        const handStarted = performance.now();
        await sql.unsafe(`drop table if exists bench_hand_${round}`);
        await sql.unsafe(HAND_WRITTEN(`bench_hand_${round}`));
        hand.push(performance.now() - handStarted);
        const started = performance.now();
        const run = await deps.pipelines.runs.run(actor, {
          pipelineId: definition.id,
          idempotencyKey: `bench-${round}`,
        });
        const final = (
          await collect(deps.pipelines.runs.progress(actor, run.id), (p) =>
            ["succeeded", "failed", "canceled"].includes(p.status),
          )
        ).at(-1);
        runs.push(performance.now() - started);
        if (final?.status !== "succeeded") throw new Error(`run ${final?.status}: ${final?.error}`);
        const view = await deps.pipelines.runs.byId(actor, run.id);
        jobs.push((view.finishedAt?.getTime() ?? 0) - (view.startedAt?.getTime() ?? 0));
        outputId = final.outputDatasetId ?? "";
        log(
          `pipeline round ${round}: hand-written ${milliseconds(hand.at(-1) ?? 0)}, Gantry ${milliseconds(runs.at(-1) ?? 0)}`,
        );
      }
      await checkSameResult(sql, outputId);
      const ratio = median(runs) / median(hand);
      return [
        {
          what: "pipeline run, filter + group-by, queued to done (time)",
          gantry: milliseconds(median(runs)),
          baseline: `hand-written SQL ${milliseconds(median(hand))}`,
          ratio,
          ...atMost(ratio, 1.3),
        },
        {
          what: "  of which the run job",
          gantry: milliseconds(median(jobs)),
          baseline: "",
          ratio: median(jobs) / median(hand),
          aim: "",
        },
      ];
    } finally {
      await bench.close();
    }
  },
};
export default benchCase;

/** Gantry's output and the hand-written one must agree, or the comparison means nothing. */
async function checkSameResult(sql: postgres.Sql, outputId: string): Promise<void> {
  const table = (await sql`select table_name from datasets where id = ${outputId}`)[0]?.table_name as string;
  const ours = await sql.unsafe(
    `select region, category, orders, round(revenue::numeric, 4) as revenue from "${table}" order by 1, 2`,
  );
  const theirs = await sql.unsafe(
    "select region, category, orders, round(revenue::numeric, 4) as revenue from bench_hand_1 order by 1, 2",
  );
  if (JSON.stringify(ours) !== JSON.stringify(theirs))
    throw new Error("Gantry's run and the hand-written SQL disagree");
}
