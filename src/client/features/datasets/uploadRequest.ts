import type { ImportFormat, UploadAccepted } from "../../../shared/schemas/pipelines";
import { CLIENT_HEADER } from "../../lib/api/endpoints";
import { routeErrorMessage } from "./routeErrors";

export interface UploadChoice {
  name: string;
  skipInvalid: boolean;
}

export interface UploadRequest {
  url: string;
  contentType: string;
}

const MIME_BY_FORMAT: Record<ImportFormat, string> = { csv: "text/csv", jsonl: "application/x-ndjson" };

/** The format a file name says it has, if it says: `.csv`, `.jsonl` or `.ndjson`. */
export function formatOfFileName(fileName: string): ImportFormat | null {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension === "csv") return "csv";
  if (extension === "jsonl" || extension === "ndjson") return "jsonl";
  return null;
}

/**
 * `POST /api/datasets?name=…` for a file. The name of the file decides the format when it can:
 * browsers label CSV files inconsistently (Windows says application/vnd.ms-excel), which the
 * server would refuse. Otherwise the browser's type goes as it is, and the server says what
 * it cannot read.
 */
export function uploadRequestFor(file: { name: string; type: string }, choice: UploadChoice): UploadRequest {
  const format = formatOfFileName(file.name);
  const query = new URLSearchParams({ name: choice.name.trim(), fileName: file.name });
  if (format) query.set("format", format);
  if (choice.skipInvalid) query.set("skipInvalid", "true");
  return {
    url: `/api/datasets?${query}`,
    contentType: format ? MIME_BY_FORMAT[format] : file.type || "application/octet-stream",
  };
}

/** "report" from "report.final.csv": the name a data set gets when the user gives none. */
export function defaultDatasetName(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, "").trim() || fileName;
}

class UploadFailedError extends Error {
  override name = "UploadFailedError";
}

function isAccepted(value: unknown): value is UploadAccepted {
  if (!value || typeof value !== "object") return false;
  return (
    "datasetId" in value &&
    typeof value.datasetId === "string" &&
    "importId" in value &&
    typeof value.importId === "string"
  );
}

/**
 * Sends the file with XMLHttpRequest: unlike fetch, it reports bytes sent as they go
 * (`upload.onprogress`). The session cookie rides along; the client header makes the server
 * honour it (the same CSRF defence as every tRPC call). The server streams the body to disk
 * and answers at once with the data set and import ids.
 */
export function sendUpload(
  file: Blob,
  request: UploadRequest,
  onProgress: (bytesSent: number, bytesTotal: number) => void,
  signal: AbortSignal,
): Promise<UploadAccepted> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", request.url);
    xhr.withCredentials = true;
    xhr.setRequestHeader(CLIENT_HEADER, "web");
    xhr.setRequestHeader("content-type", request.contentType);
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      if (xhr.status === 202 || xhr.status === 200) {
        try {
          const answer: unknown = JSON.parse(xhr.responseText);
          if (isAccepted(answer)) return resolve(answer);
        } catch {
          // An answer we cannot read is reported below like any other failure.
        }
      }
      reject(new UploadFailedError(routeErrorMessage(xhr.status, xhr.responseText, "upload")));
    };
    xhr.onerror = () => reject(new UploadFailedError(routeErrorMessage(0, "", "upload")));
    xhr.onabort = () => reject(new DOMException("The upload was canceled.", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
