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
