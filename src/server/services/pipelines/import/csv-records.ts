import { Readable } from "node:stream";
import { type CsvError, parse } from "csv-parse";
import { rowTooLarge } from "./errors.js";

export interface CsvRecord {
  fields: string[];
  /** The record's position counting the header as line 1 (the physical line unless values hold line breaks). */
  line: number;
  /** Set when the record could not be read at all (an unclosed quote, which also ends the file). */
  unreadable?: string;
}

/**
 * CSV records parsed by csv-parse from decoded text. Lenient where PostgreSQL's COPY is
 * lenient (a stray quote inside a value is kept); ragged rows are passed on for the caller to
 * judge. A record csv-parse cannot read comes through in its place with `unreadable` set.
 * Lines are counted as records (csv-parse's own line count is not exact for quoted line breaks).
 */
export async function* csvRecords(
  text: AsyncIterable<string>,
  options: { maxRecordBytes: number },
): AsyncGenerator<CsvRecord> {
  // Errors are collected as csv-parse meets them, with how many records came before, rather
  // than thrown: a stream error would drop the records still buffered ahead of it.
  const errors: Array<{ after: number; message: string; tooLarge: boolean }> = [];
  let parsed = 0;
  const parser = parse({
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    // Counted in characters, a little looser than bytes for text that is not ASCII.
    max_record_size: options.maxRecordBytes,
    on_record: (record: string[]) => {
      parsed++;
      return record;
    },
    on_skip: (error: CsvError | undefined) => {
      errors.push({ after: parsed, message: describeError(error), tooLarge: error?.code === "CSV_MAX_RECORD_SIZE" });
      return undefined;
    },
  });
  const source = Readable.from(text, { objectMode: false });
  source.on("error", (error) => parser.destroy(error));
  source.pipe(parser);

  let line = 0;
  let consumed = 0;
  // Blank lines are held back until a row follows them: blank lines at the end are dropped
  // (as the COPY path drops them), blank lines between rows are passed on to be judged.
  const blanks: CsvRecord[] = [];
  function* unreadableUpTo(count: number): Generator<CsvRecord> {
    while (errors[0] && errors[0].after <= count) {
      const error = errors.shift() as { message: string; tooLarge: boolean };
      yield* blanks.splice(0);
      // csv-parse reads no further after a record too large: never a row to skip, always the end.
      if (error.tooLarge) throw rowTooLarge(options.maxRecordBytes, line + 1, true);
      yield { fields: [], line: ++line, unreadable: error.message };
    }
  }
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      yield* unreadableUpTo(consumed);
      consumed++;
      line++;
      if (fields.length === 1 && fields[0] === "") {
        blanks.push({ fields, line });
        continue;
      }
      yield* blanks.splice(0);
      yield { fields, line };
    }
    yield* unreadableUpTo(Number.POSITIVE_INFINITY);
  } finally {
    source.destroy();
    parser.destroy();
  }
}

function describeError(error: CsvError | undefined): string {
  if (error?.code === "CSV_QUOTE_NOT_CLOSED") return "A quoted value is never closed (unbalanced quotes).";
  return `This row cannot be read as CSV (${error?.message ?? "unknown error"}).`;
}
