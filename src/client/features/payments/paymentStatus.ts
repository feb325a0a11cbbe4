import type { PaymentFailure, PaymentStatus, RefundStatus } from "../../../shared/schemas/payments";

/** Typed against the server's list, so a new status cannot go unlabelled. Order = the filter's order. */
const statusLabels: Record<PaymentStatus, string> = {
  pending: "Pending",
  processing: "Processing",
  succeeded: "Succeeded",
  failed: "Failed",
  canceled: "Canceled",
  partially_refunded: "Partially refunded",
  refunded: "Refunded",
};

const refundStatusLabels: Record<RefundStatus, string> = {
  pending: "Pending",
  succeeded: "Refunded",
  failed: "Failed",
};

export type StatusTone = "up" | "down" | "degraded" | "neutral";

export function statusLabel(status: PaymentStatus): string {
  return statusLabels[status];
}

export function refundStatusLabel(status: RefundStatus): string {
  return refundStatusLabels[status];
}

/** For the status filter; built from the labels, so the browser bundle needs no schema library. */
export const paymentStatusOptions = (Object.keys(statusLabels) as PaymentStatus[]).map((status) => ({
  value: status,
  label: statusLabels[status],
}));

/** The badge colour: money taken, money not taken, waiting, or money (partly) given back. */
export function statusTone(status: PaymentStatus | RefundStatus): StatusTone {
  switch (status) {
    case "succeeded":
      return "up";
    case "failed":
    case "canceled":
      return "down";
    case "pending":
    case "processing":
      return "degraded";
    case "partially_refunded":
    case "refunded":
      return "neutral";
  }
}

/** Still waiting for the provider's verdict: the screen should keep listening. */
export function isSettling(status: PaymentStatus): boolean {
  return status === "pending" || status === "processing";
}

export interface FailureExplanation {
  title: string;
  detail: string;
}

/**
 * What a payer should read when a payment fails: what happened and what to do, in plain
 * words, for the reasons the sandbox (and Stripe) report; the provider's own message otherwise.
 */
export function explainFailure(failure: PaymentFailure | null): FailureExplanation {
  switch (failure?.code) {
    case "card_declined":
      return {
        title: "Your card was declined",
        detail: "The card issuer refused this payment. No money was taken; try another card.",
      };
    case "insufficient_funds":
      return {
        title: "Insufficient funds",
        detail: "The card does not have enough funds for this payment. No money was taken; try another card.",
      };
    case "invalid_payment_method":
      return { title: "The payment method was not accepted", detail: failure.message || "Choose another card." };
    default:
      return {
        title: "The payment failed",
        detail: failure?.message || "The provider did not take this payment. No money was taken.",
      };
  }
}
