/**
 * Import: a generated CSV uploaded to Gantry (streamed to disk, then the import job infers
 * types and COPYs it into the data set's typed table) against a raw `COPY` of the same file
 * into a plain typed table. Aim: at least 0.5× the raw rows/s. BENCH_ROWS (default 1 000 000)
 * and BENCH_ROUNDS (default 2) adjust it.
 */
import type { BenchCase } from "../case.js";
import { atLeast, milliseconds } from "../harness/format.js";
import { log } from "../harness/rounds.js";
import { median } from "../report.js";
import { gantryImport, rawCopy, rowsPerSecond, startOrdersBench } from "./_orders.js";

const benchCase: BenchCase = {
  name: "import",
  quick: false,
  async run() {
    const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
    const bench = await startOrdersBench();
    try {
      const raw: number[] = [];
      const gantry: number[] = [];
      const job: number[] = [];
      for (let round = 1; round <= rounds; round++) {
        raw.push(await rawCopy(bench.sql, bench.file));
        const result = await gantryImport(bench, `bench ${round}`);
        gantry.push(result.ms);
        job.push(result.jobMs);
        log(`import round ${round}: raw COPY ${milliseconds(raw.at(-1) ?? 0)}, Gantry ${milliseconds(result.ms)}`);
      }
      const ratio = median(raw) / median(gantry);
      return [
        {
          what: "import, upload to ready (rows/s)",
          gantry: rowsPerSecond(median(gantry)),
          baseline: `raw COPY ${rowsPerSecond(median(raw))}`,
          ratio,
          ...atLeast(ratio, 0.5),
        },
        {
          what: "  of which the import job",
          gantry: rowsPerSecond(median(job)),
          baseline: "",
          ratio: median(raw) / median(job),
          aim: "",
        },
      ];
    } finally {
      await bench.close();
    }
  },
};
export default benchCase;
