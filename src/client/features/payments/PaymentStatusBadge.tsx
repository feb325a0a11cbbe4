import type { PaymentStatus, RefundStatus } from "../../../shared/schemas/payments";
import { refundStatusLabel, statusLabel, statusTone } from "./paymentStatus";

interface StatusBadgeProps {
  status: PaymentStatus;
  testId?: string;
}

/** The word carries the status; the colour only repeats it. `data-status` is the raw value for tests and styles. */
export function PaymentStatusBadge({ status, testId }: StatusBadgeProps) {
  return (
    <span className={`badge badge-${statusTone(status)}`} data-status={status} data-testid={testId}>
      {statusLabel(status)}
    </span>
  );
}

export function RefundStatusBadge({ status }: { status: RefundStatus }) {
  return (
    <span className={`badge badge-${statusTone(status)}`} data-status={status} data-testid="refund-status">
      {refundStatusLabel(status)}
    </span>
  );
}
