import { describe, expect, it } from "vitest";
import { importToast, paymentToast, runToast } from "./messages";

describe("toast messages for finished background work", () => {
  it("says nothing while work is still going", () => {
    expect(paymentToast({ id: "p1", status: "processing" }, "Tea")).toBeNull();
    expect(importToast({ status: "running", datasetId: "d1", rowsDone: 3, error: null }, "Sales")).toBeNull();
    expect(runToast({ status: "queued", error: null, outputDatasetId: null, outputRows: null }, "Totals")).toBeNull();
  });

  it("names the work and links to its result when it ends", () => {
    expect(paymentToast({ id: "p1", status: "succeeded" }, "Tea")).toEqual({
      tone: "up",
      message: "Payment “Tea” settled.",
      link: { to: "/payments/p1", label: "View payment" },
    });
    expect(paymentToast({ id: "p2", status: "failed" }, "")).toMatchObject({
      tone: "down",
      message: "Your payment failed.",
    });
    expect(importToast({ status: "succeeded", datasetId: "d1", rowsDone: 1200, error: null }, "Sales")).toEqual({
      tone: "up",
      message: "Import of “Sales” finished: 1,200 rows.",
      link: { to: "/datasets/d1", label: "View data set" },
    });
    expect(
      importToast({ status: "failed", datasetId: "d1", rowsDone: 0, error: "Line 3: bad number" }, "Sales"),
    ).toMatchObject({
      tone: "down",
      message: "Import of “Sales” failed: Line 3: bad number",
    });
    expect(runToast({ status: "succeeded", error: null, outputDatasetId: "o1", outputRows: 4 }, "Totals")).toEqual({
      tone: "up",
      message: "Run of “Totals” finished: 4 rows out.",
      link: { to: "/datasets/o1", label: "View result" },
    });
    expect(
      runToast({ status: "canceled", error: null, outputDatasetId: null, outputRows: null }, "Totals"),
    ).toMatchObject({
      tone: "neutral",
    });
  });
});
