import type { Permission } from "../../../shared/permissions";
import type { PaymentDetail } from "../../../shared/schemas/payments";

export interface RefundViewer {
  userId: string | null;
  can(permission: Permission): boolean;
}

/**
 * Decision 0007: users refund their own payments (`payments:refund`), admins anyone's
 * (`payments:refund:any`). Only hides the form; the server decides.
 */
export function mayRefund(viewer: RefundViewer, payment: Pick<PaymentDetail, "userId">): boolean {
  if (viewer.can("payments:refund:any")) return true;
  return viewer.can("payments:refund") && viewer.userId !== null && payment.userId === viewer.userId;
}

/** Captured and not yet all given back (pending refunds already count against the remainder). */
export function isRefundable(payment: Pick<PaymentDetail, "status" | "refundableAmount">): boolean {
  const captured = payment.status === "succeeded" || payment.status === "partially_refunded";
  return captured && payment.refundableAmount > 0;
}
