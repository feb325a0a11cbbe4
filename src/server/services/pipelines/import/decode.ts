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
 * The upload as text, chunk by chunk, in its declared charset. Bytes that are not valid in
 * that charset stop the import with the line they are on, and with what to do about it.
 */
export async function* decodeFile(path: string, charset: Charset, options: DecodeOptions = {}): AsyncGenerator<string> {
  const decoder = new TextDecoder(charset.decoder, { fatal: true, ignoreBOM: false });
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

function decodeOrExplain(
  decoder: TextDecoder,
  chunk: Buffer | undefined,
  charset: Charset,
  line: number,
  stream: boolean,
): string {
  try {
    return decoder.decode(chunk, { stream });
  } catch {
    // Find the line of the first undecodable byte: decode again leniently and look for U+FFFD.
    const loose = new TextDecoder(charset.decoder).decode(chunk);
    const bad = loose.indexOf("\uFFFD");
    throw notInCharset(charset, line + (bad < 0 ? 0 : countLines(loose.slice(0, bad))));
  }
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
