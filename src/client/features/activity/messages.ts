import type { PaymentDetail, PaymentStatus } from "../../../shared/schemas/payments";
import type { ImportProgress, RunProgress } from "../../../shared/schemas/pipelines";
import type { Toast } from "./activityStore";

type ToastText = Omit<Toast, "id">;

const SETTLING: readonly PaymentStatus[] = ["pending", "processing"];

/** The toast for a payment that has settled, or null while it still waits for its provider. */
export function paymentToast(payment: Pick<PaymentDetail, "id" | "status">, label: string): ToastText | null {
  if (SETTLING.includes(payment.status)) return null;
  const link = { to: `/payments/${payment.id}`, label: "View payment" };
  const name = label ? `Payment “${label}”` : "Your payment";
  if (payment.status === "failed" || payment.status === "canceled") {
    return { tone: "down", message: `${name} ${payment.status === "failed" ? "failed" : "was canceled"}.`, link };
  }
  return { tone: "up", message: `${name} settled.`, link };
}

/** The toast for an import that has ended, or null while it runs. */
export function importToast(
  progress: Pick<ImportProgress, "status" | "datasetId" | "rowsDone" | "error">,
  label: string,
): ToastText | null {
  if (progress.status === "queued" || progress.status === "running") return null;
  const link = { to: `/datasets/${progress.datasetId}`, label: "View data set" };
  if (progress.status === "failed") {
    return {
      tone: "down",
      message: `Import of “${label}” failed${progress.error ? `: ${progress.error}` : "."}`,
      link,
    };
  }
  const rows = `${progress.rowsDone.toLocaleString("en")} ${progress.rowsDone === 1 ? "row" : "rows"}`;
  return { tone: "up", message: `Import of “${label}” finished: ${rows}.`, link };
}

/** The toast for a pipeline run that has ended, or null while it is queued or running. */
export function runToast(
  progress: Pick<RunProgress, "status" | "error" | "outputDatasetId" | "outputRows">,
  label: string,
): ToastText | null {
  const link = { to: "/runs", label: "View runs" };
  switch (progress.status) {
    case "queued":
    case "running":
      return null;
    case "succeeded":
      return {
        tone: "up",
        message: `Run of “${label}” finished${progress.outputRows === null ? "." : `: ${progress.outputRows.toLocaleString("en")} rows out.`}`,
        link: progress.outputDatasetId ? { to: `/datasets/${progress.outputDatasetId}`, label: "View result" } : link,
      };
    case "canceled":
      return { tone: "neutral", message: `Run of “${label}” was canceled.`, link };
    case "failed":
      return { tone: "down", message: `Run of “${label}” failed${progress.error ? `: ${progress.error}` : "."}`, link };
  }
}
