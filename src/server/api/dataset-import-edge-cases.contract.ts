import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportProgress } from "../../shared/schemas/pipelines.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { importAttempts } from "../testing/dataset-tables.js";
import { allRows, importData, type UploadOptions } from "../testing/pipelines.js";

/**
 * Imports at the edges of the formats and of their limits, on PGlite (import-edge-cases.test.ts)
 * and PostgreSQL (import-edge-cases.int.test.ts). CSV goes two ways (the file's bytes to COPY,
 * or rows parsed and checked with skipInvalid): both must read a file the same way.
 */
const PATHS = [
  { name: "COPY", query: {} },
  { name: "checked (skipInvalid)", query: { skipInvalid: "true" } },
] as const;
const ENDINGS = [
  { name: "LF", eol: "\n" },
  { name: "CRLF", eol: "\r\n" },
] as const;
const RECORD_LIMIT = 4096;

export function importEdgeCaseContract(mode: "embedded" | "services"): void {
  describe(`import edge cases (${mode === "embedded" ? "PGlite" : "PostgreSQL"})`, () => {
    let app: TestApp;
    let token: string;

    beforeAll(async () => {
      app = await createTestApp(mode, { IMPORT_RECORD_MAX_BYTES: String(RECORD_LIMIT) });
      token = (await app.signup()).token;
    }, 60_000);
    afterAll(async () => {
      await app?.close();
    });

    const attemptsOf = (final: ImportProgress) => importAttempts(app, final.importId);
    /** A failed import: its error and line, decided on the first attempt (a retry cannot fix data). */
    const expectFailure = async (
      body: string | Buffer,
      options: UploadOptions,
      error: string | RegExp,
      line: number,
    ) => {
      const { final } = await importData(app, token, body, options);
      expect(final.status).toBe("failed");
      expect(final.error).toMatch(error);
      expect(final.errorLine).toBe(line);
      expect(await attemptsOf(final)).toBe(1);
    };

    describe("RFC 4180", () => {
      for (const path of PATHS) {
        for (const { name, eol } of ENDINGS) {
          for (const finalBreak of [true, false]) {
            const variant = `${path.name}, ${name}, ${finalBreak ? "with" : "without"} a final line break`;

            it(`reads quoted commas, doubled quotes, quoted line breaks and empty fields (${variant})`, async () => {
              const lines = [
                "a,b,c",
                '1,"",""',
                '2,"x, y","say ""hi"""',
                '3,"lf\nx","crlf\r\nx"',
                '4,"cr\rx",',
                "5,,",
                '6,last,""',
              ];
              const csv = lines.join(eol) + (finalBreak ? eol : "");
              const { final, dataset } = await importData(app, token, csv, { query: path.query });
              expect(final).toMatchObject({ status: "succeeded", rowsDone: 6, skippedRows: 0 });
              expect(dataset.columns.map((c) => c.type)).toEqual(["integer", "text", "text"]);
              expect(await allRows(app, token, dataset.id)).toEqual([
                { a: 1, b: null, c: null },
                { a: 2, b: "x, y", c: 'say "hi"' },
                { a: 3, b: "lf\nx", c: "crlf\r\nx" },
                { a: 4, b: "cr\rx", c: null },
                { a: 5, b: null, c: null },
                { a: 6, b: "last", c: null },
              ]);
            });

            it(`reads the file of issue 8 (${variant})`, async () => {
              const csv = ["a,b,c", '1,"",""', "2,3,4"].join(eol) + (finalBreak ? eol : "");
              const { final, dataset } = await importData(app, token, csv, { query: path.query });
              expect(final).toMatchObject({ status: "succeeded", rowsDone: 2 });
              expect(await allRows(app, token, dataset.id)).toEqual([
                { a: 1, b: null, c: null },
                { a: 2, b: 3, c: 4 },
              ]);
            });

            it(`refuses a header without rows (${variant})`, async () => {
              const { final } = await importData(app, token, `a,b,c${finalBreak ? eol : ""}`, { query: path.query });
              expect(final).toMatchObject({ status: "failed", error: expect.stringMatching(/no data rows/) });
            });
          }
        }
      }
    });

    it("decodes ISO-8859-1 the same with and without skipInvalid, as PostgreSQL's LATIN1 does", async () => {
      // 0x80-0x9F are C1 controls in ISO-8859-1 (not € and friends, as in windows-1252).
      const file = Buffer.from("name\ncaf\xe9 \x80\x9f\n", "latin1");
      for (const path of PATHS) {
        const { dataset } = await importData(app, token, file, {
          contentType: "text/csv; charset=iso-8859-1",
          query: path.query,
        });
        expect(await allRows(app, token, dataset.id)).toEqual([{ name: "café \u0080\u009f" }]);
      }
      const win1252 = Buffer.from("name\nprice \x80\n", "latin1");
      for (const path of PATHS) {
        const { dataset } = await importData(app, token, win1252, {
          contentType: "text/csv; charset=windows-1252",
          query: path.query,
        });
        expect(await allRows(app, token, dataset.id)).toEqual([{ name: "price €" }]);
      }
    });

    it("refuses a NUL character at once, naming its line", async () => {
      const nul = /NUL character/;
      for (const path of PATHS) {
        await expectFailure("na\u0000me,n\nx,1\n", { query: path.query }, nul, 1);
      }
      await expectFailure("name,n\nx,1\ny\u0000,2\n", {}, nul, 3);
      await expectFailure('{"a":1}\n{"a\\u0000":2}\n', { contentType: "application/x-ndjson" }, nul, 2);
      // With skipInvalid, a row holding one is left out like any other bad row.
      const { final } = await importData(app, token, "name,n\nx,1\ny\u0000,2\n", { query: { skipInvalid: "true" } });
      expect(final).toMatchObject({ status: "succeeded", rowsDone: 1, skippedRows: 1 });
    });

    it("refuses a file with too many columns as soon as the 501st appears", async () => {
      const keys = (from: number) =>
        JSON.stringify(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${from + i}`, i])));
      // Line 2 brings fields 301-600: the import stops there, not after reading a sample.
      const lines = [keys(0), keys(300), ...Array.from({ length: 2000 }, () => '{"k0":1}')];
      await expectFailure(
        `${lines.join("\n")}\n`,
        { contentType: "application/x-ndjson" },
        "The file has more than 500 columns; at most 500 are allowed.",
        2,
      );
      const header = Array.from({ length: 501 }, (_, i) => `c${i}`).join(",");
      await expectFailure(`${header}\n1\n`, {}, "The file has more than 500 columns; at most 500 are allowed.", 1);
    });

    it("refuses a row larger than IMPORT_RECORD_MAX_BYTES, naming the limit", async () => {
      const big = "x".repeat(RECORD_LIMIT * 3);
      const limit = /larger than the limit of 4 KiB \(IMPORT_RECORD_MAX_BYTES\)/;
      await expectFailure(`{"a":1}\n{"a":"${big}"}\n{"a":2}\n`, { contentType: "application/x-ndjson" }, limit, 2);
      for (const path of PATHS) {
        await expectFailure(`a,b\n1,2\n3,"${big}"\n5,6\n`, { query: path.query }, limit, 3);
      }
    });
  });

  describe(`import samples bounded by bytes (${mode === "embedded" ? "PGlite" : "PostgreSQL"})`, () => {
    let app: TestApp;
    let token: string;

    beforeAll(async () => {
      app = await createTestApp(mode, { IMPORT_SAMPLE_BYTES: "1024" });
      token = (await app.signup()).token;
    }, 60_000);
    afterAll(async () => {
      await app?.close();
    });

    it("infers types from the first IMPORT_SAMPLE_BYTES of rows, however few rows that is", async () => {
      // 600 rows of about 4 bytes: the sample stops after about 250 of them, well before row 500.
      const rows = Array.from({ length: 600 }, (_, i) => (i === 499 ? "500,x" : `${i + 1},1`));
      const { final } = await importData(
        app,
        token,
        `id,n
${rows.join("\n")}\n`,
      );
      expect(final).toMatchObject({
        status: "failed",
        error: 'Column "n": "x" is not a whole number.',
        errorLine: 501,
      });
    });
  });
}
