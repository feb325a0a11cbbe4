/**
 * Column-name completion inside an expression: the word being typed at the cursor, the
 * columns it could be, and the text with one of them put in its place (quoted when the name
 * is not a plain identifier, as the expression language requires: "unit price").
 */
export interface WordAtCursor {
  start: number;
  end: number;
  /** What is typed so far, without an opening double quote. */
  prefix: string;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The identifier (or open "quoted name") that ends at `cursor`; null when the cursor is not in one. */
export function wordAtCursor(text: string, cursor: number): WordAtCursor | null {
  let start = cursor;
  // An open quote: everything since the quote is the name typed so far (spaces included).
  const before = text.slice(0, cursor);
  const quotes = (before.match(/"/g) ?? []).length;
  if (quotes % 2 === 1) {
    const open = before.lastIndexOf('"');
    return { start: open, end: cursor, prefix: before.slice(open + 1) };
  }
  while (start > 0 && /[A-Za-z0-9_]/.test(text.charAt(start - 1))) start--;
  if (start === cursor) return null;
  const prefix = text.slice(start, cursor);
  if (/^\d/.test(prefix)) return null;
  return { start, end: cursor, prefix };
}

/** Columns whose name starts with the typed prefix (case-insensitive), the exact match left out. */
export function columnSuggestions(columns: readonly string[], word: WordAtCursor | null, max = 8): string[] {
  if (!word) return [];
  const prefix = word.prefix.toLowerCase();
  return columns.filter((name) => name.toLowerCase().startsWith(prefix) && name !== word.prefix).slice(0, max);
}

/** How a column is written in an expression: bare when it is a plain identifier, else in double quotes. */
export function columnReference(name: string): string {
  return PLAIN.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** The text with the word replaced by `column`, and where the cursor goes after it. */
export function insertColumn(text: string, word: WordAtCursor, column: string): { text: string; cursor: number } {
  const reference = columnReference(column);
  const next = text.slice(0, word.start) + reference + text.slice(word.end);
  return { text: next, cursor: word.start + reference.length };
}
