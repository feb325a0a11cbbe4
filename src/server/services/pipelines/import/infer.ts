import type { ColumnType } from "../../../../shared/schemas/pipelines.js";
import { isBoolean, isDate, isInteger, isNumber, isTimestamp } from "../values.js";

/**
 * Column types from the first rows of a file (the sample), as DuckDB's CSV sniffer does: the
 * narrowest type every non-empty sample value fits, in this order of preference. Later rows
 * must fit the inferred types; one that does not is a malformed row with its line number.
 * Empty values are NULL and fit any type; a column with no values in the sample is text.
 */
const CANDIDATES: ReadonlyArray<[ColumnType, (value: string) => boolean]> = [
  ["integer", isInteger],
  ["number", isNumber],
  ["date", isDate],
  ["timestamp", isTimestamp],
  ["boolean", isBoolean],
];

export class TypeInference {
  private readonly possible: Array<Set<ColumnType>>;
  private readonly seen: boolean[];

  constructor(columnCount: number) {
    this.possible = Array.from({ length: columnCount }, () => new Set(CANDIDATES.map(([type]) => type)));
    this.seen = Array.from({ length: columnCount }, () => false);
  }

  /** Narrows by one text value (CSV cells, JSON strings). */
  addText(column: number, value: string): void {
    if (value === "") return;
    const possible = this.possible[column];
    if (!possible) return;
    this.seen[column] = true;
    if (possible.size === 0) return;
    for (const [type, fits] of CANDIDATES) if (possible.has(type) && !fits(value)) possible.delete(type);
  }

  /** Narrows by one JSON value: numbers and booleans keep their JSON type, strings may be dates. */
  addJson(column: number, value: unknown): void {
    if (value === null || value === undefined) return;
    const possible = this.possible[column];
    if (!possible) return;
    this.seen[column] = true;
    const keep = (types: ColumnType[]) => {
      for (const type of [...possible]) if (!types.includes(type)) possible.delete(type);
    };
    if (typeof value === "number") keep(Number.isSafeInteger(value) ? ["integer", "number"] : ["number"]);
    else if (typeof value === "boolean") keep(["boolean"]);
    else if (typeof value === "string") {
      const fits: ColumnType[] = [];
      if (isDate(value)) fits.push("date");
      if (isTimestamp(value)) fits.push("timestamp");
      keep(fits);
    } else possible.clear(); // objects and arrays are kept as JSON text
  }

  types(hints: ReadonlyArray<ColumnType | undefined> = []): ColumnType[] {
    return this.possible.map((possible, i) => {
      const hint = hints[i];
      if (hint) return hint;
      if (!this.seen[i]) return "text";
      return CANDIDATES.find(([type]) => possible.has(type))?.[0] ?? "text";
    });
  }
}
