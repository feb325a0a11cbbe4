/**
 * A problem with the uploaded data itself (not with Gantry): retrying cannot help, and the
 * message is for the person who uploaded it. `line` counts the header as line 1.
 */
export class ImportDataError extends Error {
  override name = "ImportDataError";
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `Line ${line}: ${message}`);
  }

  /** The message without the "Line N:" prefix. */
  get reason(): string {
    return this.line === undefined ? this.message : this.message.replace(/^Line \d+: /, "");
  }
}

/** Most columns (CSV header values, JSON Lines fields) a data set may have. */
export const MAX_COLUMNS = 500;

export function tooManyColumns(line: number): ImportDataError {
  return new ImportDataError(
    `The file has more than ${MAX_COLUMNS} columns; at most ${MAX_COLUMNS} are allowed.`,
    line,
  );
}

/**
 * One row (a CSV record, a JSON line) larger than IMPORT_RECORD_MAX_BYTES: rows are held whole
 * in memory while they are read, so their size is bounded. In a CSV file this is almost
 * always a quote left open, swallowing the rest of the file.
 */
export function rowTooLarge(maxBytes: number, line: number, csv: boolean): ImportDataError {
  const hint = csv ? " Is a quote left open? Quoted values must end with a closing quote." : "";
  return new ImportDataError(
    `The row is larger than the limit of ${formatSize(maxBytes)} (IMPORT_RECORD_MAX_BYTES).${hint}`,
    line,
  );
}

function formatSize(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

export const NUL_MESSAGE =
  "The file contains a NUL character (byte 0), which no value can hold. Is it really a text file in the declared charset?";

/** PostgreSQL text cannot hold U+0000: a file with one is refused with its line. */
export function nulInData(line: number): ImportDataError {
  return new ImportDataError(NUL_MESSAGE, line);
}
