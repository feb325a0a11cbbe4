import { describe, expect, it } from "vitest";
import { coerceValue, isDate, isInteger, isNumber, isTimestamp } from "../values.js";
import { ImportDataError } from "./errors.js";
import { TypeInference } from "./infer.js";
import { jsonLines } from "./jsonl.js";
import { csvRecordChunks } from "./record-scanner.js";

async function scan(input: string, chunkSize: number): Promise<{ text: string; records: number }> {
  const bytes = Buffer.from(input);
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  }
  let text = "";
  let records = 0;
  for await (const chunk of csvRecordChunks(chunks(), { stripBom: true, maxRecordBytes: 1024 })) {
    // Every chunk ends on a record boundary.
    expect(chunk.data.at(-1)).toBe(0x0a);
    text += chunk.data.toString();
    records += chunk.records;
  }
  return { text, records };
}

async function scanError(input: string): Promise<ImportDataError> {
  try {
    await scan(input, 3);
  } catch (error) {
    if (error instanceof ImportDataError) return error;
    throw error;
  }
  throw new Error("expected an ImportDataError");
}

describe("CSV record scanner (the bytes that go to COPY untouched)", () => {
  const file = '\uFEFFa,"b\nc"\r\n1,"x\n""y"""\r\n2,z\r\n\r\n3,"w,\n"\n\n\n';

  it("cuts whole records whatever the chunk size, dropping the header and blank lines at the end", async () => {
    for (const size of [1, 2, 3, 5, 7, 64, 4096]) {
      expect(await scan(file, size)).toEqual({ text: '1,"x\n""y"""\r\n2,z\r\n\r\n3,"w,\n"\n', records: 4 });
    }
  });

  it("adds the final newline a file may lack", async () => {
    expect(await scan("a\n1\n2", 2)).toEqual({ text: "1\n2\n", records: 2 });
  });

  it("reports an unclosed quote with the line its record starts on", async () => {
    const error = await scanError('a,b\n1,x\n2,"never\n3,y\n');
    expect(error.line).toBe(3);
    expect(error.reason).toBe("A quoted value is never closed (unbalanced quotes).");
  });

  it("tells an empty file from a header without rows", async () => {
    expect((await scanError("")).reason).toBe("The file is empty.");
    expect((await scanError("a,b\n")).reason).toBe("The file has a header row but no data rows.");
    expect((await scanError("a,b\n\n\n")).reason).toBe("The file has a header row but no data rows.");
  });
});

describe("values and type inference", () => {
  it("accepts only what PostgreSQL reads as the type", () => {
    expect(isInteger("9223372036854775807")).toBe(true);
    expect(isInteger("9223372036854775808")).toBe(false);
    expect(isInteger(" -12 ")).toBe(true);
    expect(isNumber("1e400")).toBe(false);
    expect(isNumber(".5")).toBe(true);
    expect(isNumber("1,5")).toBe(false);
    expect(isDate("2024-02-29")).toBe(true);
    expect(isDate("2023-02-29")).toBe(false);
    expect(isDate("1900-02-29")).toBe(false);
    expect(isDate("2000-02-29")).toBe(true);
    expect(isDate("0000-01-01")).toBe(false);
    expect(isTimestamp("2024-01-01T24:00:00")).toBe(false);
    expect(isTimestamp("2024-01-01 23:59:59.123456+05:30")).toBe(true);
    expect(isTimestamp("01/02/2024")).toBe(false);
  });

  it("picks the narrowest type every sampled value fits", () => {
    const inference = new TypeInference(6);
    const rows = [
      ["1", "1", "2024-01-01", "yes", "", "007"],
      ["2", "2.5", "2024-01-02 10:00", "no", "", "abc"],
    ];
    for (const row of rows) {
      for (const [i, cell] of row.entries()) inference.addText(i, cell);
    }
    expect(inference.types()).toEqual(["integer", "number", "timestamp", "boolean", "text", "text"]);
    expect(inference.types([undefined, "text"])).toEqual(["integer", "text", "timestamp", "boolean", "text", "text"]);
  });

  it("keeps JSON types: numbers as numbers, strings as text unless they are dates", () => {
    const inference = new TypeInference(5);
    const values = [
      [1, "12", true, "2024-01-01", { a: 1 }],
      [2, "x", false, "2024-01-02", null],
    ];
    for (const row of values) {
      for (const [i, value] of row.entries()) inference.addJson(i, value);
    }
    expect(inference.types()).toEqual(["integer", "text", "boolean", "date", "text"]);
  });

  it("reads filter values as the column's type, timestamps without offset as UTC", () => {
    expect(coerceValue("integer", "42")).toEqual({ ok: true, text: "42" });
    expect(coerceValue("integer", 4.5)).toMatchObject({ ok: false });
    expect(coerceValue("timestamp", "2024-01-01 10:00")).toEqual({ ok: true, text: "2024-01-01 10:00Z" });
    expect(coerceValue("boolean", "Yes")).toEqual({ ok: true, text: "true" });
    expect(coerceValue("date", "tomorrow")).toEqual({ ok: false, message: '"tomorrow" is not a date (YYYY-MM-DD).' });
  });
});

describe("JSON Lines reader", () => {
  it("splits lines across chunks, skips blank lines and keeps the file's line numbers", async () => {
    async function* text() {
      yield '{"a":1}\n\n{"a"';
      yield ':2}\r\n[3]\n{bad\n{"a":4}';
    }
    const lines = [];
    for await (const line of jsonLines(text(), { maxLineBytes: 1024 }))
      lines.push(line.ok ? [line.line, line.object] : [line.line, line.message]);
    expect(lines).toEqual([
      [1, { a: 1 }],
      [3, { a: 2 }],
      [4, "Each line must be a JSON object ({...})."],
      [5, expect.stringMatching(/^Not valid JSON/)],
      [6, { a: 4 }],
    ]);
  });
});
