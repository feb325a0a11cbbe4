import type { ImportFormat } from "../../../shared/schemas/pipelines.js";
import { type Charset, charsetFor, SUPPORTED_CHARSETS } from "./import/charset.js";
import { UploadRefusedError } from "./upload-errors.js";

/** A Map: the key is the request's content type, which may well be `constructor`. */
const FORMAT_BY_MIME = new Map<string, ImportFormat>([
  ["text/csv", "csv"],
  ["application/csv", "csv"],
  ["text/x-csv", "csv"],
  ["application/x-ndjson", "jsonl"],
  ["application/ndjson", "jsonl"],
  ["application/jsonl", "jsonl"],
  ["application/x-jsonlines", "jsonl"],
  ["application/jsonlines", "jsonl"],
]);
/** Say nothing about the format: the file name or `format` decides. */
const NEUTRAL_MIMES = new Set(["", "application/octet-stream", "text/plain"]);

/**
 * The format and charset of an upload, from (in order) the explicit `format`, the content type,
 * then the file name's extension. Unknown formats and charsets are refused before anything is read.
 */
export function uploadFormat(
  contentType: string | undefined,
  fileName: string | undefined,
  explicit: ImportFormat | undefined,
): { format: ImportFormat; charset: Charset } {
  const [mimePart = "", ...params] = (contentType ?? "").split(";");
  const mime = mimePart.trim().toLowerCase();
  const charsetParam = params
    .map((p) => p.trim().split("="))
    .find(([key]) => key?.trim().toLowerCase() === "charset")?.[1];
  const charset = charsetFor(charsetParam);
  if (!charset) {
    throw new UploadRefusedError(
      "unsupported_charset",
      `The charset "${charsetParam}" is not supported. Use one of: ${SUPPORTED_CHARSETS.join(", ")}.`,
    );
  }
  const byMime = FORMAT_BY_MIME.get(mime);
  const extension = /\.([a-z0-9]+)$/i.exec(fileName ?? "")?.[1]?.toLowerCase();
  const byName: ImportFormat | undefined =
    extension === "csv" ? "csv" : extension === "jsonl" || extension === "ndjson" ? "jsonl" : undefined;
  if (!byMime && !NEUTRAL_MIMES.has(mime) && !explicit) {
    throw new UploadRefusedError(
      "unsupported_format",
      `Uploads of type ${mime} are not supported: send CSV (text/csv) or JSON Lines (application/x-ndjson).`,
    );
  }
  const format = explicit ?? byMime ?? byName;
  if (!format) {
    throw new UploadRefusedError(
      "unsupported_format",
      "Unknown file format: send CSV (text/csv) or JSON Lines (application/x-ndjson), or name the file .csv or .jsonl.",
    );
  }
  return { format, charset };
}
