import { rowTooLarge } from "./errors.js";

/** One line of a JSON Lines file: an object, or why it is not one. */
export type JsonLine =
  | { line: number; ok: true; object: Record<string, unknown>; chars: number }
  | { line: number; ok: false; message: string };

/**
 * JSON Lines by line splitting: each non-blank line must be one JSON object. Blank lines are
 * skipped (and counted, so line numbers stay those of the file). A line longer than
 * `maxLineBytes` (IMPORT_RECORD_MAX_BYTES, counted in characters) ends the import: its text
 * would be held whole in memory, and parsed.
 */
export async function* jsonLines(
  text: AsyncIterable<string>,
  options: { maxLineBytes: number },
): AsyncGenerator<JsonLine> {
  let pending = "";
  let line = 0;
  for await (const chunk of text) {
    pending += chunk;
    let start = 0;
    for (let end = pending.indexOf("\n", start); end >= 0; end = pending.indexOf("\n", start)) {
      line++;
      if (end - start > options.maxLineBytes) throw rowTooLarge(options.maxLineBytes, line, false);
      const parsed = parseLine(pending.slice(start, end), line);
      if (parsed) yield parsed;
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > options.maxLineBytes) throw rowTooLarge(options.maxLineBytes, line + 1, false);
  }
  if (pending.length > 0) {
    const parsed = parseLine(pending, line + 1);
    if (parsed) yield parsed;
  }
}

function parseLine(raw: string, line: number): JsonLine | undefined {
  const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "invalid JSON";
    return { line, ok: false, message: `Not valid JSON (${reason}).` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { line, ok: false, message: "Each line must be a JSON object ({...})." };
  }
  return { line, ok: true, object: value as Record<string, unknown>, chars: raw.length };
}
