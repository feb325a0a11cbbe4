import type { CopyChunk } from "../../../repositories/dataset-tables.js";
import { ImportDataError, nulInData, rowTooLarge } from "./errors.js";

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LF = Buffer.from("\n");
const CRLF = Buffer.from("\r\n");

export interface ScanProgress {
  bytes: number;
  records: number;
}

/**
 * Cuts raw CSV bytes into chunks of whole records without parsing them, so the bytes can go
 * to COPY untouched. A newline ends a record only outside quotes, and quotes toggle at every `"`
 * (a doubled `""` toggles twice): exactly how PostgreSQL's CSV COPY finds its lines. This holds
 * for UTF-8 and the single-byte charsets, where `"` and `\n` are never part of another character.
 * Drops the header record, a UTF-8 byte order mark and blank lines at the end of the file;
 * an unclosed quote is reported with the line its record starts on.
 */
export async function* csvRecordChunks(
  source: AsyncIterable<Buffer>,
  options: {
    stripBom: boolean;
    /** Largest record (IMPORT_RECORD_MAX_BYTES): bytes of one record are held until it ends. */
    maxRecordBytes: number;
    onProgress?: (progress: ScanProgress) => void;
  },
): AsyncGenerator<CopyChunk> {
  // Bytes after the last record handed out, and how far they were scanned already (only a
  // carry without any record boundary keeps its scan state, so a long quoted value is scanned once).
  let carry: Buffer = Buffer.alloc(0);
  let scannedUpTo = 0;
  let inQuote = false;
  let headerDone = false;
  let records = 0;
  let bytes = 0;
  let first = true;
  let lineEnd = LF;

  const keep = (buf: Buffer, quoted: boolean) => {
    carry = buf;
    scannedUpTo = buf.length;
    inQuote = quoted;
    if (carry.length > options.maxRecordBytes)
      throw rowTooLarge(options.maxRecordBytes, headerDone ? records + 2 : 1, true);
  };

  for await (const raw of source) {
    let chunk = raw;
    bytes += chunk.length;
    if (first) {
      first = false;
      if (options.stripBom && chunk.subarray(0, 3).equals(BOM)) chunk = chunk.subarray(3);
    }
    let buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      // `carry` always starts a record: count the records before the NUL to name its line.
      const before = scanRecords(buf.subarray(0, carry.length + nul), 0, false).count;
      throw nulInData(headerDone ? records + 2 + before : 1 + before);
    }
    let scan = scanRecords(buf, scannedUpTo, inQuote);
    if (!headerDone) {
      if (scan.firstBoundary < 0) {
        keep(buf, scan.inQuote);
        continue;
      }
      headerDone = true;
      lineEnd = buf[scan.firstBoundary - 2] === CR ? CRLF : LF;
      buf = buf.subarray(scan.firstBoundary);
      scan = scanRecords(buf, 0, false);
    }
    if (scan.lastBoundary < 0) {
      keep(buf, scan.inQuote);
      options.onProgress?.({ bytes, records });
      continue;
    }
    const cut = withoutTrailingBlankLines(buf, 0, scan.lastBoundary);
    const emitted = scan.count - countNewlines(buf, cut, scan.lastBoundary);
    if (emitted > 0) yield { data: buf.subarray(0, cut), records: emitted };
    records += emitted;
    carry = buf.subarray(cut);
    scannedUpTo = 0;
    inQuote = false;
    options.onProgress?.({ bytes, records });
  }

  if (!headerDone) {
    if (carry.toString("latin1").trim() === "") throw new ImportDataError("The file is empty.");
    throw new ImportDataError("The file has a header row but no data rows.");
  }
  const rest = scanRecords(carry, scannedUpTo, inQuote);
  if (rest.inQuote) {
    throw new ImportDataError("A quoted value is never closed (unbalanced quotes).", records + rest.count + 2);
  }
  if (carry.toString("latin1").trim() !== "") {
    // The last record ends like the others: COPY takes the line ending of the first line it
    // reads, and refuses a bare \n after \r\n lines ("unquoted newline found in data").
    const data = carry[carry.length - 1] === NEWLINE ? carry : Buffer.concat([carry, lineEnd]);
    const scan = scanRecords(data, 0, false);
    const cut = withoutTrailingBlankLines(data, 0, scan.lastBoundary);
    const emitted = scan.count - countNewlines(data, cut, scan.lastBoundary);
    records += emitted;
    if (emitted > 0) yield { data: data.subarray(0, cut), records: emitted };
  }
  if (records === 0) throw new ImportDataError("The file has a header row but no data rows.");
  options.onProgress?.({ bytes, records });
}

/** Scans buf from `from` in quote state `inQuote`; boundaries are offsets just after a record's newline. */
function scanRecords(
  buf: Buffer,
  from: number,
  startInQuote: boolean,
): { count: number; firstBoundary: number; lastBoundary: number; inQuote: boolean } {
  let inQuote = startInQuote;
  let count = 0;
  let firstBoundary = -1;
  let lastBoundary = -1;
  let i = from;
  let quote = buf.indexOf(QUOTE, i);
  let newline = buf.indexOf(NEWLINE, i);
  for (;;) {
    if (inQuote) {
      if (quote < 0) break;
      inQuote = false;
      i = quote + 1;
      quote = buf.indexOf(QUOTE, i);
      if (newline >= 0 && newline < i) newline = buf.indexOf(NEWLINE, i);
      continue;
    }
    if (newline >= 0 && (quote < 0 || newline < quote)) {
      count++;
      i = newline + 1;
      if (firstBoundary < 0) firstBoundary = i;
      lastBoundary = i;
      newline = buf.indexOf(NEWLINE, i);
      continue;
    }
    if (quote < 0) break;
    inQuote = true;
    i = quote + 1;
    quote = buf.indexOf(QUOTE, i);
  }
  return { count, firstBoundary, lastBoundary, inQuote };
}

/**
 * Where the data up to `end` (a record boundary) stops once blank lines at its end are left
 * out: they are held back, and dropped if nothing but blank lines follows until the end of file.
 */
function withoutTrailingBlankLines(buf: Buffer, start: number, end: number): number {
  let content = end;
  while (content > start && (buf[content - 1] === NEWLINE || buf[content - 1] === CR)) content--;
  if (content === start) return start;
  const terminator = buf.indexOf(NEWLINE, content);
  return terminator < 0 || terminator >= end ? end : terminator + 1;
}

function countNewlines(buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(NEWLINE, start); i >= 0 && i < end; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
}
