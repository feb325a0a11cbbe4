import { can, type Role } from "../../../shared/permissions.js";
import type { PaymentRow } from "../../repositories/payments.js";

/** Who asks: a service scopes what they see to their own payments unless their role reaches further. */
export interface Viewer {
  id: string;
  role: Role;
}

export function canSeeAll(viewer: Viewer): boolean {
  return can(viewer.role, "payments:read:any");
}

export function canSee(viewer: Viewer, payment: PaymentRow): boolean {
  return payment.userId === viewer.id || canSeeAll(viewer);
}

/** Users refund their own payments; `payments:refund:any` (admins) refunds anyone's. */
export function canRefund(viewer: Viewer, payment: PaymentRow): boolean {
  return (
    (payment.userId === viewer.id && can(viewer.role, "payments:refund")) || can(viewer.role, "payments:refund:any")
  );
}
