import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, type TestApp } from "../testing/app.js";
import { failNextDatasetInsert, tableExists as tableExistsIn } from "../testing/dataset-tables.js";
import { allRows, collect, importData, uploadRaw } from "../testing/pipelines.js";

/**
 * Imports on PGlite (imports.test.ts) and PostgreSQL (imports.int.test.ts). Types are inferred
 * from the first 3 rows here, so later rows are checked by the database's COPY: its refusals
 * must come back as the same clear messages, with the same line numbers, on both.
 */
export function importContract(mode: "embedded" | "services"): void {
  describe(`imports (${mode === "embedded" ? "PGlite" : "PostgreSQL"})`, () => {
    let app: TestApp;
    let token: string;

    beforeAll(async () => {
      app = await createTestApp(mode, { IMPORT_SAMPLE_ROWS: "3", UPLOAD_MAX_BYTES: "4000" });
      token = (await app.signup()).token;
    });
    afterAll(async () => {
      await app?.close();
    });

    const tableExists = (datasetId: string) => tableExistsIn(app, datasetId);
    const uploadsLeft = async () => {
      const dir = join(app.gantry.deps.config.dataDir, "uploads");
      return (await readdir(dir).catch(() => [])).length;
    };
    /** A failed import: the error and its line, no table, no rows, no file left behind. */
    const expectFailure = async (body: string | Buffer, error: string, line: number | null, contentType?: string) => {
      const { final, dataset } = await importData(app, token, body, contentType ? { contentType } : {});
      expect({ status: final.status, error: final.error, errorLine: final.errorLine }).toEqual({
        status: "failed",
        error,
        errorLine: line,
      });
      expect(dataset).toMatchObject({ status: "failed", rowCount: null });
      expect(await tableExists(dataset.id)).toBe(false);
      await expect(app.caller({ token }).pipelines.datasets.rows({ datasetId: dataset.id })).rejects.toMatchObject({
        code: "CONFLICT",
      });
      // The file goes right after the import commits: give it that moment.
      await expect.poll(uploadsLeft).toBe(0);
    };

    it("imports CSV with quoted values, CRLF line ends, a BOM and blank lines at the end", async () => {
      const csv = '\uFEFFname,"note"\r\nana,"a, b"\r\nbo,"line\r\nbreak"\r\n"cy","say ""hi"""\r\ndee,\r\n\r\n\r\n';
      const { final, dataset, progress } = await importData(app, token, csv);
      expect(final).toMatchObject({ status: "succeeded", rowsDone: 4, percent: 100, phase: "done" });
      expect(progress[0]?.status).toMatch(/queued|running|succeeded/);
      expect(progress.map((p) => p.percent)).toEqual([...progress.map((p) => p.percent)].sort((a, b) => a - b));
      expect(dataset.columns).toEqual([
        { name: "name", type: "text" },
        { name: "note", type: "text" },
      ]);
      expect(await allRows(app, token, dataset.id)).toEqual([
        { name: "ana", note: "a, b" },
        { name: "bo", note: "line\r\nbreak" },
        { name: "cy", note: 'say "hi"' },
        { name: "dee", note: null },
      ]);
      // The file goes right after the import commits: give it that moment.
      await expect.poll(uploadsLeft).toBe(0);
    });

    it("infers integer, number, boolean, date, timestamp and text, and honours type hints", async () => {
      const csv = [
        "n,big,x,flag,day,at,zip,Blank Header,",
        "+1,99999999999999999999,1.5,yes,2024-02-29,2024-01-01T10:00:00Z,00501,,a",
        "2,1,2,no,2024-03-01,2024-01-01 12:30,10001,,b",
        "-3,2,3e2,Y,2024-03-02,2024-01-02T00:00:00+02:00,02134,,c",
        "4,3,4,n,2024-03-03,2024-01-03,90210,,d",
      ].join("\n");
      const { dataset } = await importData(app, token, csv, { query: { types: "zip:text" } });
      expect(dataset.columns).toEqual([
        { name: "n", type: "integer" },
        { name: "big", type: "number" },
        { name: "x", type: "number" },
        { name: "flag", type: "boolean" },
        { name: "day", type: "date" },
        { name: "at", type: "timestamp" },
        { name: "zip", type: "text" },
        { name: "Blank Header", type: "text" },
        { name: "column_9", type: "text" },
      ]);
      const rows = await allRows(app, token, dataset.id);
      expect(rows[0]).toMatchObject({ n: 1, big: 1e20, x: 1.5, flag: true, day: "2024-02-29", zip: "00501" });
      expect(rows.map((r) => r.at)).toEqual([
        "2024-01-01T10:00:00.000Z",
        "2024-01-01T12:30:00.000Z",
        "2024-01-01T22:00:00.000Z",
        "2024-01-03T00:00:00.000Z",
      ]);
      expect(rows[2]).toMatchObject({ n: -3, x: 300, flag: true });
    });

    it("imports JSON Lines", async () => {
      const jsonl = [
        '{"id": 1, "name": "ana", "score": 9.5, "ok": true, "born": "1990-05-01", "tags": ["a", "b"]}',
        "",
        '{"id": 2, "name": "bo", "score": 7, "ok": false, "born": "1985-12-24", "tags": []}',
        '{"id": 3, "name": null, "ok": true, "born": "2001-01-01"}',
        '{"id": 4, "name": "dee\\ttab", "score": 1e2, "ok": false, "born": "1970-01-01", "tags": {"x": 1}}',
      ].join("\n");
      const { final, dataset } = await importData(app, token, jsonl, { contentType: "application/x-ndjson" });
      expect(final.status).toBe("succeeded");
      expect(dataset.columns).toEqual([
        { name: "id", type: "integer" },
        { name: "name", type: "text" },
        { name: "score", type: "number" },
        { name: "ok", type: "boolean" },
        { name: "born", type: "date" },
        { name: "tags", type: "text" },
      ]);
      expect(await allRows(app, token, dataset.id)).toEqual([
        { id: 1, name: "ana", score: 9.5, ok: true, born: "1990-05-01", tags: '["a","b"]' },
        { id: 2, name: "bo", score: 7, ok: false, born: "1985-12-24", tags: "[]" },
        { id: 3, name: null, score: null, ok: true, born: "2001-01-01", tags: null },
        { id: 4, name: "dee\ttab", score: 100, ok: false, born: "1970-01-01", tags: '{"x":1}' },
      ]);
    });

    it("fails JSON Lines on a bad line, with its line number", async () => {
      const base = ['{"id": 1}', '{"id": 2}', '{"id": 3}'];
      await expectFailure(
        [...base, '{"id": "four"}'].join("\n"),
        'Field "id": "\\"four\\"" is not a whole number.',
        4,
        "application/x-ndjson",
      );
      await expectFailure(
        [...base, "", "{oops"].join("\n"),
        expect.stringMatching(/^Not valid JSON/) as unknown as string,
        5,
        "application/x-ndjson",
      );
      await expectFailure(
        [...base, "[1]"].join("\n"),
        "Each line must be a JSON object ({...}).",
        4,
        "application/x-ndjson",
      );
    });

    it("fails on unbalanced quotes, keeping nothing", async () => {
      await expectFailure('a,b\n1,x\n2,"open\n3,z\n4,w\n', "A quoted value is never closed (unbalanced quotes).", 3);
      await expectFailure('a,b\n1,x\n2,y\n3,z\n4,"w\n5,v\n', "A quoted value is never closed (unbalanced quotes).", 5);
    });

    it("fails on ragged rows, in the sample and after it", async () => {
      await expectFailure("a,b\n1,x\n2\n3,z\n", "The row has 1 value; the header has 2. (Is the line empty?)", 3);
      await expectFailure("a,b\n1,x\n2,y\n3,z\n4,w,extra\n", "The row has more values than the header.", 5);
      await expectFailure("a,b\n1,x\n2,y\n3,z\n4,w\n5\n", "The row has fewer values than the header.", 6);
      await expectFailure("a,b\n1,x\n2,y\n3,z\n\n4,w\n", "The line is empty.", 5);
    });

    it("fails on a value of the wrong type, naming the line and the column", async () => {
      await expectFailure(
        "id,qty,day\n1,5,2024-01-01\n2,6,2024-01-02\n3,7,2024-01-03\n4,many,2024-01-04\n",
        'Column "qty": "many" is not a whole number.',
        5,
      );
      await expectFailure(
        "id,day\n1,2024-01-01\n2,2024-01-02\n3,2024-01-03\n4,2024-02-30\n",
        'Column "day": "2024-02-30" is not a date (YYYY-MM-DD).',
        5,
      );
      const hinted = await importData(app, token, "id,code\n1,7\n2,x\n", { query: { types: "code:integer" } });
      expect(hinted.final).toMatchObject({ status: "failed", errorLine: 3 });
    });

    it("refuses empty files, and files with a header but no rows", async () => {
      const empty = await uploadRaw(app, token, "");
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.message).toBe("The file is empty.");
      await expectFailure("id,name\n", "The file has a header row but no data rows.", null);
      await expectFailure("  \n\n", "The file is empty.", null);
    });

    it("reads the declared charset, and refuses bytes that do not match it", async () => {
      const latin1 = Buffer.from("city,n\ncaf\xe9,1\nz\xfcrich,2\n", "latin1");
      const ok = await importData(app, token, latin1, { contentType: "text/csv; charset=iso-8859-1" });
      expect(await allRows(app, token, ok.dataset.id)).toEqual([
        { city: "café", n: 1 },
        { city: "zürich", n: 2 },
      ]);
      const late = Buffer.concat([Buffer.from("city,n\na,1\nb,2\nc,3\n"), Buffer.from("caf\xe9,4\n", "latin1")]);
      await expectFailure(
        late,
        "The file is not valid UTF-8 text. If the file uses another encoding, say so when uploading, e.g. Content-Type: text/csv; charset=latin1.",
        5,
        "text/csv; charset=utf-8",
      );
      await expectFailure(
        latin1,
        "The file is not valid UTF-8 text. If the file uses another encoding, say so when uploading, e.g. Content-Type: text/csv; charset=latin1.",
        2,
      );
      const unknown = await uploadRaw(app, token, "a\n1\n", { contentType: "text/csv; charset=klingon" });
      expect(unknown.statusCode).toBe(415);
      expect(unknown.json().error.code).toBe("UNSUPPORTED_CHARSET");
    });

    it("refuses charsets and types named like JavaScript object properties, keeping no file", async () => {
      for (const charset of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
        const refused = await uploadRaw(app, token, "a\n1\n", { contentType: `text/csv; charset=${charset}` });
        expect(refused.statusCode).toBe(415);
        expect(refused.json().error).toEqual({
          code: "UNSUPPORTED_CHARSET",
          message: `The charset "${charset}" is not supported. Use one of: utf-8, iso-8859-1, windows-1252, iso-8859-15.`,
        });
      }
      // The file goes right after the import commits: give it that moment.
      await expect.poll(uploadsLeft).toBe(0);
    });

    it("imports a file whose header names JavaScript object properties", async () => {
      const { final, dataset } = await importData(app, token, "constructor,__proto__,toString\n1,x,true\n");
      expect(final.status).toBe("succeeded");
      expect(dataset.columns.map((c) => c.type)).toEqual(["integer", "text", "boolean"]);
    });

    it("answers 503 and deletes the stored file when the upload cannot be recorded", async () => {
      const restore = failNextDatasetInsert();
      try {
        const refused = await uploadRaw(app, token, "a\n1\n");
        expect(refused.statusCode).toBe(503);
        expect(refused.json().error).toEqual({
          code: "SERVICE_UNAVAILABLE",
          message: "The upload could not be saved. Please try again.",
        });
      } finally {
        restore();
      }
      // The file goes right after the import commits: give it that moment.
      await expect.poll(uploadsLeft).toBe(0);
    });

    it("accepts an upload while the job queue refuses, and imports it once the queue takes the job", async () => {
      // The job is written with the upload (job outbox); the dispatcher retries the hand-over.
      const enqueue = vi
        .spyOn(app.gantry.deps.queue, "enqueue")
        .mockRejectedValueOnce(new Error("the queue went away"));
      try {
        const accepted = await uploadRaw(app, token, "a\n1\n", { name: "queued later" });
        expect(accepted.statusCode).toBe(202);
        const { importId } = accepted.json() as { importId: string };
        const progress = await collect(
          await app.caller({ token }).pipelines.datasets.onImportProgress({ importId }),
          (p) => p.status === "succeeded" || p.status === "failed",
        );
        expect(progress.at(-1)?.status).toBe("succeeded");
        expect(enqueue.mock.calls.length).toBeGreaterThanOrEqual(2);
      } finally {
        enqueue.mockRestore();
      }
    });

    it("keeps the good rows with skipInvalid and reports the bad ones", async () => {
      // The first three rows decide the types (qty: integer); row 3 is ragged and says nothing.
      const csv = 'id,qty\n1,5\n2,6\n3\n4,oops\n5,7\n6,"never closed\n';
      const { final, dataset } = await importData(app, token, csv, { query: { skipInvalid: "true" } });
      expect(final).toMatchObject({ status: "succeeded", skippedRows: 3, rowsDone: 3 });
      expect(await allRows(app, token, dataset.id)).toEqual([
        { id: 1, qty: 5 },
        { id: 2, qty: 6 },
        { id: 5, qty: 7 },
      ]);
      const report = await app.caller({ token }).pipelines.datasets.importById({ importId: final.importId });
      expect(report.badRows).toEqual([
        { line: 4, message: "The row has 1 value; the header has 2." },
        { line: 5, message: 'Column "qty": "oops" is not a whole number.' },
        { line: 7, message: "A quoted value is never closed (unbalanced quotes)." },
      ]);
      expect(report).toMatchObject({ rowsImported: 3, skippedRows: 3, status: "succeeded" });
    });

    it("refuses oversized uploads and unknown formats before importing anything", async () => {
      const before = (await app.caller({ token }).pipelines.datasets.list({})).total;
      const big = await uploadRaw(app, token, `a\n${"1\n".repeat(3000)}`);
      expect(big.statusCode).toBe(413);
      expect(big.json().error).toEqual({
        code: "TOO_LARGE",
        message: "The file is larger than the 3.9 KB an upload may be.",
      });
      const pdf = await uploadRaw(app, token, "%PDF-1.4", { contentType: "application/pdf" });
      expect(pdf.statusCode).toBe(415);
      const unnamed = await uploadRaw(app, token, "a\n1\n", { contentType: "application/octet-stream" });
      expect(unnamed.statusCode).toBe(415);
      const named = await uploadRaw(app, token, "a\n1\n", {
        contentType: "application/octet-stream",
        query: { fileName: "numbers.csv" },
      });
      expect(named.statusCode).toBe(202);
      expect((await app.caller({ token }).pipelines.datasets.list({})).total).toBe(before + 1);
      expect(await uploadsLeft()).toBeLessThanOrEqual(1);
    });

    it("exports a data set as CSV with its column names", async () => {
      const { dataset } = await importData(app, token, 'Full Name,n,ok,day\n"Doe, Jo",1,true,2024-01-02\nAl,,false,\n');
      const response = await app.gantry.http?.inject({
        method: "GET",
        url: `/api/datasets/${dataset.id}/export.csv`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response?.statusCode).toBe(200);
      expect(response?.headers["content-type"]).toBe("text/csv; charset=utf-8");
      expect(response?.body).toBe('Full Name,n,ok,day\n"Doe, Jo",1,true,2024-01-02\nAl,,false,\n');
    });
  });
}
