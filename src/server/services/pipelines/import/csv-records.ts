import { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { ImportDataError } from "./errors.js";

export interface CsvRecord {
  fields: string[];
  /** The record's position counting the header as line 1 (the physical line unless values hold line breaks). */
  line: number;
}

/**
 * CSV records parsed by csv-parse from decoded text. Lenient where PostgreSQL's COPY is
 * lenient (a stray quote inside a value is kept); ragged rows are passed on for the caller to
 * judge. A quote that is never closed ends the file: reported with the line its record starts on.
 * Lines are counted as records (csv-parse's own line count is not exact for quoted line breaks).
 */
export async function* csvRecords(text: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const source = Readable.from(text, { objectMode: false });
  const parser = parse({ relax_quotes: true, relax_column_count: true, skip_empty_lines: false });
  source.on("error", (error) => parser.destroy(error));
  source.pipe(parser);
  let line = 0;
  // Blank lines are held back until a row follows them: blank lines at the end are dropped
  // (as the COPY path drops them), blank lines between rows are passed on to be judged.
  const blanks: CsvRecord[] = [];
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      line++;
      if (fields.length === 1 && fields[0] === "") {
        blanks.push({ fields, line });
        continue;
      }
      yield* blanks.splice(0);
      yield { fields, line };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const message =
        error.code === "CSV_QUOTE_NOT_CLOSED"
          ? "A quoted value is never closed (unbalanced quotes)."
          : `This row cannot be read as CSV (${error.message}).`;
      throw new ImportDataError(message, line + 1);
    }
    throw error;
  } finally {
    source.destroy();
    parser.destroy();
  }
}
