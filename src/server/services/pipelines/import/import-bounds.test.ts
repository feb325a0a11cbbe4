import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { charsetFor } from "./charset.js";
import { ImportDataError } from "./errors.js";
import { Importer } from "./importer.js";

/**
 * A file with too many columns is refused after reading what shows it, whatever follows: the
 * work done before the refusal does not grow with the file. (The refusal comes before the
 * database is used, so none is needed here.)
 */
describe("imports refusing too many columns", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gantry-bounds-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const WIDTH = 600;
  /** JSON Lines of WIDTH fields each, as in issue 8 (thousands of keys per line). */
  const fileOf = (rows: number) => {
    const line = JSON.stringify(Object.fromEntries(Array.from({ length: WIDTH }, (_, i) => [`k${i}`, i])));
    return `${Array.from({ length: rows }, () => line).join("\n")}\n`;
  };

  /** Milliseconds until the import is refused, and the refusal. */
  const refuse = async (rows: number) => {
    const path = join(dir, `lines-${rows}`);
    await writeFile(path, fileOf(rows));
    const importer = new Importer({} as never);
    const started = performance.now();
    const error = await importer
      .run(
        {
          path,
          format: "jsonl",
          charset: charsetFor("utf-8") as NonNullable<ReturnType<typeof charsetFor>>,
          skipInvalid: false,
          typeHints: {},
          table: "unused",
          sampleRows: 10_000,
          sampleBytes: 64 * 1024 * 1024,
          recordMaxBytes: 16 * 1024 * 1024,
        },
        () => {},
      )
      .catch((caught: unknown) => caught);
    return { ms: performance.now() - started, error };
  };

  it("refuses JSON Lines at the first line with too many fields, in the same time for 20 lines as for 2,000", async () => {
    await refuse(20); // warm up
    const small = await refuse(20);
    const large = await refuse(2000);
    for (const { error } of [small, large]) {
      expect(error).toBeInstanceOf(ImportDataError);
      expect(error).toMatchObject({
        line: 1,
        reason: "The file has more than 500 columns; at most 500 are allowed.",
      });
    }
    // Reading the 2,000 lines (about 13 MB) first, as a sample, took about 60x as long.
    expect(large.ms / Math.max(small.ms, 5)).toBeLessThan(10);
  }, 60_000);
});
