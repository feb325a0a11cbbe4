import { describe, expect, it } from "vitest";
import type { ImportProgress } from "../../../shared/schemas/pipelines";
import {
  formatBytes,
  IDLE,
  importFailure,
  type UploadState,
  uploadPercent,
  uploadReducer,
  uploadStatusText,
} from "./uploadState";

const progress = (change: Partial<ImportProgress>): ImportProgress => ({
  importId: "i1",
  datasetId: "d1",
  status: "running",
  phase: "loading",
  bytesDone: 0,
  bytesTotal: 1000,
  rowsDone: 0,
  percent: 0,
  skippedRows: 0,
  error: null,
  errorLine: null,
  ...change,
});

const importing: UploadState = { phase: "importing", datasetId: "d1", importId: "i1", progress: null };

describe("uploadReducer", () => {
  it("follows the bytes going up, then the import, to the end", () => {
    let state = uploadReducer(IDLE, { type: "start", bytesTotal: 2048 });
    state = uploadReducer(state, { type: "sent", bytesSent: 1024, bytesTotal: 2048 });
    expect(uploadPercent(state)).toBe(50);
    expect(uploadStatusText(state)).toBe("Uploading 1.0 KB of 2.0 KB");

    state = uploadReducer(state, { type: "accepted", accepted: { datasetId: "d1", importId: "i1" } });
    expect(state).toEqual(importing);
    state = uploadReducer(state, { type: "progress", progress: progress({ percent: 40, rowsDone: 1200 }) });
    expect(uploadPercent(state)).toBe(40);
    expect(uploadStatusText(state)).toBe("Loading rows (1,200 rows)");

    state = uploadReducer(state, {
      type: "progress",
      progress: progress({ status: "succeeded", phase: "done", percent: 100, rowsDone: 200, skippedRows: 2 }),
    });
    expect(state).toEqual({ phase: "done", datasetId: "d1", rowsImported: 200, skippedRows: 2 });
    expect(uploadPercent(state)).toBe(100);
    expect(uploadStatusText(state)).toBe("Imported 200 rows; 2 invalid rows were left out.");
  });

  it("ends in the server's error, with the line of the bad row", () => {
    const state = uploadReducer(importing, {
      type: "progress",
      progress: progress({
        status: "failed",
        phase: "done",
        error: "Line 7: expected 3 fields, found 4",
        errorLine: 7,
      }),
    });
    expect(state).toEqual({ phase: "failed", message: "Line 7: expected 3 fields, found 4", datasetId: "d1" });
    expect(uploadPercent(state)).toBeNull();
  });

  it("ignores progress of another import and late byte counts", () => {
    const other = uploadReducer(importing, { type: "progress", progress: progress({ importId: "i2", percent: 80 }) });
    expect(other).toBe(importing);
    expect(uploadReducer(importing, { type: "sent", bytesSent: 1, bytesTotal: 2 })).toBe(importing);
  });

  it("keeps a finished import finished when the connection drops afterwards", () => {
    const done: UploadState = { phase: "done", datasetId: "d1", rowsImported: 1, skippedRows: 0 };
    expect(uploadReducer(done, { type: "rejected", message: "gone" })).toBe(done);
    expect(uploadReducer(done, { type: "reset" })).toBe(IDLE);
  });
});

describe("importFailure", () => {
  it("adds the line when the message does not say it", () => {
    expect(importFailure({ error: 'Not a number: "abc"', errorLine: 12 })).toBe('Line 12: Not a number: "abc"');
    expect(importFailure({ error: "Line 12: Not a number", errorLine: 12 })).toBe("Line 12: Not a number");
    expect(importFailure({ error: null, errorLine: null })).toBe("The import failed.");
  });
});

describe("formatBytes", () => {
  it("uses the unit that reads best", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(5 * 1024 ** 3)).toBe("5.0 GB");
  });
});
