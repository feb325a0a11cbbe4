import { MAX_COLUMN_NAME } from "../../../shared/schemas/pipelines.js";

/**
 * Column names are whatever the file's header says ("Order Date", "prix (€)"); the typed table
 * uses a sanitized SQL name per column ("order_date", "prix"), and data set metadata maps one to
 * the other. SQL identifiers are therefore never user text, and always quoted anyway.
 */

const MAX_KEY = 48;

/** `order_date` from `Order Date`. Never starts with `_` or a digit, so it can never collide with `__row` or `_c1`. */
export function sqlKeyFor(name: string, taken: Set<string>): string {
  let base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, MAX_KEY)
    .replace(/_+$/, "");
  if (base === "") base = "column";
  if (/^[0-9]/.test(base)) base = `c_${base}`.slice(0, MAX_KEY);
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
  taken.add(key);
  return key;
}

/** Header cells as column names: trimmed, blanks named `column_3`, repeats suffixed `_2`. */
export function columnNamesFrom(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((raw, i) => {
    let base = raw.trim().slice(0, MAX_COLUMN_NAME);
    if (base === "") base = `column_${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    return name;
  });
}
