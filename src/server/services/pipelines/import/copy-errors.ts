import type { ColumnType } from "../../../../shared/schemas/pipelines.js";
import { CopyFailure } from "../../../repositories/dataset-tables.js";
import { describeType } from "../values.js";
import type { Charset } from "./charset.js";
import { notInCharset } from "./decode.js";
import { ImportDataError } from "./errors.js";

interface KeyedColumn {
  name: string;
  key: string;
  type: ColumnType;
}

/**
 * Turns PostgreSQL's refusal of a COPY row (SQLSTATE class 22, data exception) into a message
 * about the file: its line, the column by its header name, and what was expected. Anything
 * else (a lost connection, a full disk) is not the data's fault and is left to retries.
 * `lineOffset` is the file line before the first COPY record (1: the header), or undefined
 * when records do not map to lines (rows were checked and re-encoded by JavaScript).
 */
export function explainCopyFailure(
  error: unknown,
  columns: readonly KeyedColumn[],
  charset: Charset,
  lineOffset: number | undefined,
): ImportDataError | undefined {
  if (!(error instanceof CopyFailure)) return undefined;
  const cause = error.cause as { code?: string; message?: string; where?: string };
  if (!cause.code?.startsWith("22")) return undefined;
  const where = /line (\d+)(?:, column ([^:]+))?/.exec(cause.where ?? "");
  const line = where && lineOffset !== undefined ? Number(where[1]) + error.recordsBefore + lineOffset : undefined;
  const column = columns.find((c) => c.key === where?.[2]);
  const message = cause.message ?? "invalid data";
  const value = /: "(.*)"$/s.exec(message)?.[1];
  const named = column ? `Column "${column.name}": ` : "";

  // 22021: not valid in the charset; 22P05: valid, but with no Unicode character (WIN1252 0x81).
  if (cause.code === "22021" || cause.code === "22P05") return notInCharset(charset, line);
  if (message.startsWith("missing data for column") && /: ""$/.test(cause.where ?? "")) {
    return new ImportDataError("The line is empty.", line);
  }
  if (message.startsWith("missing data for column")) {
    return new ImportDataError("The row has fewer values than the header.", line);
  }
  if (message.startsWith("extra data after last expected column")) {
    return new ImportDataError("The row has more values than the header.", line);
  }
  // PostgreSQL takes the first line's ending as the file's; a lone \n after \r\n lines (or a
  // line break inside an unquoted value) reads as "unquoted newline found in data".
  if (/^(unquoted|literal) (newline|carriage return)/.test(message)) {
    return new ImportDataError(
      "The line ends in a different way from the lines before it, or a value holds a line break without quotes. Quote values that contain line breaks, and end every line the same way.",
      line,
    );
  }
  if (message.startsWith("unterminated CSV quoted field")) {
    return new ImportDataError("A quoted value is never closed (unbalanced quotes).", line);
  }
  if (column && value !== undefined) {
    return new ImportDataError(`${named}${JSON.stringify(value)} is not ${describeType(column.type)}.`, line);
  }
  return new ImportDataError(`${named}${message}.`, line);
}
