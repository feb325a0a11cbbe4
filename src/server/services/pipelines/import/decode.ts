import { createReadStream } from "node:fs";
import { TextDecoder } from "node:util";
import type { Charset } from "./charset.js";
import { ImportDataError } from "./errors.js";

export interface DecodeOptions {
  signal?: AbortSignal | undefined;
  /** Called with the raw bytes read so far, for progress. */
  onBytes?: (bytes: number) => void;
}

/**
 * The upload as text, chunk by chunk, in its declared charset, decoded exactly as PostgreSQL's
 * COPY converts it (the fast CSV path loads the raw bytes with COPY; the checked path loads
 * this text): the same file gives the same values on either path. Bytes that are not valid in
 * that charset stop the import with the line they are on, and with what to do about it.
 */
export async function* decodeFile(path: string, charset: Charset, options: DecodeOptions = {}): AsyncGenerator<string> {
  const decoder = chunkDecoder(charset);
  let bytes = 0;
  let lines = 1;
  const stream = createReadStream(path, { highWaterMark: 256 * 1024, signal: options.signal });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      options.onBytes?.(bytes);
      const text = decodeOrExplain(decoder, chunk, charset, lines, true);
      lines += countLines(text);
      if (text) yield text;
    }
    const rest = decodeOrExplain(decoder, undefined, charset, lines, false);
    if (rest) yield rest;
  } finally {
    stream.destroy();
  }
}

interface ChunkDecoder {
  decode(chunk: Buffer | undefined, stream: boolean): string;
}

/**
 * Bytes PostgreSQL's WIN1252 has no character for, where the WHATWG decoder passes them on as
 * C1 controls: COPY refuses them, so decoding does too.
 */
const WIN1252_UNDEFINED = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

function chunkDecoder(charset: Charset): ChunkDecoder {
  // The WHATWG "latin1" decoder is really windows-1252 (0x80 is €); ISO-8859-1, as
  // PostgreSQL's LATIN1, maps every byte to the code point of the same number.
  if (charset.postgres === "LATIN1") return { decode: (chunk) => chunk?.toString("latin1") ?? "" };
  const decoder = new TextDecoder(charset.decoder, { fatal: true, ignoreBOM: false });
  if (charset.postgres !== "WIN1252") return { decode: (chunk, stream) => decoder.decode(chunk, { stream }) };
  return {
    decode(chunk, stream) {
      if (chunk && WIN1252_UNDEFINED.some((byte) => chunk.includes(byte))) throw new TypeError("undefined byte");
      return decoder.decode(chunk, { stream });
    },
  };
}

function decodeOrExplain(
  decoder: ChunkDecoder,
  chunk: Buffer | undefined,
  charset: Charset,
  line: number,
  stream: boolean,
): string {
  try {
    return decoder.decode(chunk, stream);
  } catch {
    // Find the line of the first undecodable byte: decode again leniently and look for U+FFFD
    // (or, in windows-1252, a byte it leaves undefined).
    const loose = new TextDecoder(charset.decoder).decode(chunk);
    const undefinedAt = chunk ? firstIndexOf(chunk, WIN1252_UNDEFINED) : -1;
    const bad = charset.postgres === "WIN1252" ? undefinedAt : loose.indexOf("\uFFFD");
    throw notInCharset(charset, line + (bad < 0 ? 0 : countLines(loose.slice(0, bad))));
  }
}

/** In a single-byte charset, byte offsets are character offsets. */
function firstIndexOf(chunk: Buffer, bytes: readonly number[]): number {
  const found = bytes.map((byte) => chunk.indexOf(byte)).filter((i) => i >= 0);
  return found.length > 0 ? Math.min(...found) : -1;
}

export function notInCharset(charset: Charset, line: number | undefined): ImportDataError {
  const hint =
    charset.label === "utf-8"
      ? " If the file uses another encoding, say so when uploading, e.g. Content-Type: text/csv; charset=latin1."
      : "";
  return new ImportDataError(`The file is not valid ${charset.label.toUpperCase()} text.${hint}`, line);
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
