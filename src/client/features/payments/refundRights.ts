import type { PaymentDetail } from "../../../shared/schemas/payments";

// Who may refund is src/shared/ownership.ts (`canWrite(user, "payments:refund", payment)`, decision 0007).

/** Captured and not yet all given back (pending refunds already count against the remainder). */
export function isRefundable(payment: Pick<PaymentDetail, "status" | "refundableAmount">): boolean {
  const captured = payment.status === "succeeded" || payment.status === "partially_refunded";
  return captured && payment.refundableAmount > 0;
}
