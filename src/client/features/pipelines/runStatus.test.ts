import { describe, expect, it } from "vitest";
import type { RunProgress, RunView } from "../../../shared/schemas/pipelines";
import { isActive, latestProgress, progressOf, runProgressText, runStatusOptions } from "./runStatus";

const progress = (change: Partial<RunProgress>): RunProgress => ({
  runId: "r1",
  status: "running",
  rowsDone: 0,
  rowsTotal: 5000,
  percent: 0,
  estimated: false,
  outputRows: null,
  outputDatasetId: null,
  error: null,
  ...change,
});

describe("run status", () => {
  it("lists every status once for the filter", () => {
    expect(runStatusOptions.map((option) => option.value)).toEqual([
      "queued",
      "running",
      "succeeded",
      "failed",
      "canceled",
    ]);
  });

  it("treats only queued and running runs as active", () => {
    expect(isActive("queued")).toBe(true);
    expect(isActive("running")).toBe(true);
    expect(isActive("succeeded")).toBe(false);
    expect(isActive("canceled")).toBe(false);
  });
});

describe("runProgressText", () => {
  it("says how far a run is, and when the share is an estimate", () => {
    expect(runProgressText(progress({ rowsDone: 1200, percent: 24 }))).toBe("1,200 of 5,000 rows · 24 %");
    expect(runProgressText(progress({ percent: 39.6, estimated: true }))).toBe("0 of 5,000 rows · about 40 %");
  });

  it("says what came out, or why nothing did", () => {
    expect(runProgressText(progress({ status: "succeeded", rowsDone: 5000, outputRows: 3 }))).toBe(
      "5,000 rows → 3 rows",
    );
    expect(runProgressText(progress({ status: "failed", error: "Division by zero" }))).toBe("Division by zero");
    expect(runProgressText(progress({ status: "queued" }))).toBe("Waiting for a worker");
  });
});

const run: RunView = {
  id: "r1",
  pipelineId: "p1",
  ownerId: "u1",
  status: "succeeded",
  trigger: "manual",
  rowsTotal: 200,
  outputRows: 4,
  outputDatasetId: "d2",
  attempts: 1,
  cancelRequested: false,
  error: null,
  createdAt: new Date(),
  startedAt: new Date(),
  finishedAt: new Date(),
};

describe("progressOf", () => {
  it("starts a finished run's bar full and an unstarted one's empty", () => {
    expect(progressOf(run)).toMatchObject({ percent: 100, rowsDone: 200, outputDatasetId: "d2" });
    expect(progressOf({ ...run, status: "queued", outputDatasetId: null })).toMatchObject({ percent: 0, rowsDone: 0 });
  });
});

describe("latestProgress", () => {
  const queued: RunView = { ...run, status: "queued", outputDatasetId: null, outputRows: null };

  it("follows the live feed while the list still shows the run as active", () => {
    const live = progress({ runId: "r1", status: "running", percent: 30 });
    expect(latestProgress(queued, live)).toBe(live);
    const finished = progress({ runId: "r1", status: "succeeded", percent: 100 });
    expect(latestProgress(queued, finished)).toBe(finished);
  });

  it("trusts the list once it knows the run ended and the feed lags behind", () => {
    expect(latestProgress(run, progress({ runId: "r1", status: "running" })).status).toBe("succeeded");
  });

  it("ignores a feed about another run", () => {
    expect(latestProgress(queued, progress({ runId: "r2", status: "running" })).status).toBe("queued");
    expect(latestProgress(queued, undefined).status).toBe("queued");
  });
});
