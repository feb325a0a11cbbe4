/**
 * PostgreSQL COPY text format, for rows that JavaScript parsed and checked (JSON Lines, and CSV
 * with skipInvalid): tab-separated, `\N` for NULL, backslash escapes. Simpler and faster for
 * the server to read than re-quoted CSV.
 */
export const COPY_NULL = "\\N";

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

export function copyField(value: string): string {
  return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : value;
}

/** Collects rows into chunks of about `targetBytes` for COPY. */
export class CopyTextBatch {
  private lines: string[] = [];
  private size = 0;

  constructor(private readonly targetBytes = 1024 * 1024) {}

  add(fields: readonly string[]): boolean {
    const line = fields.join("\t");
    this.lines.push(line);
    this.size += line.length + 1;
    return this.size >= this.targetBytes;
  }

  get records(): number {
    return this.lines.length;
  }

  take(): { data: Buffer; records: number } {
    const records = this.lines.length;
    const data = Buffer.from(`${this.lines.join("\n")}\n`, "utf8");
    this.lines = [];
    this.size = 0;
    return { data, records };
  }
}
