import { formatMoney } from "../../../shared/money";
import type { Refund } from "../../../shared/schemas/payments";
import { formatDateTime } from "../../ui/format";
import { RefundStatusBadge } from "./PaymentStatusBadge";

/** A payment has a handful of refunds at most: a plain table, no paging. */
export function RefundsList({ refunds }: { refunds: readonly Refund[] }) {
  if (refunds.length === 0) {
    return (
      <p className="muted-line" data-testid="no-refunds">
        No refunds.
      </p>
    );
  }
  return (
    <table className="dependencies" data-testid="refunds">
      <caption className="visually-hidden">Refunds of this payment</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Amount</th>
          <th scope="col">Status</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {refunds.map((refund) => (
          <tr key={refund.id} data-testid="refund-row">
            <td>
              <time dateTime={refund.createdAt.toISOString()}>{formatDateTime(refund.createdAt)}</time>
            </td>
            <td data-testid="refund-amount">{formatMoney(refund.amount, refund.currency)}</td>
            <td>
              <RefundStatusBadge status={refund.status} />
              {refund.failure ? <span className="inline-error">{refund.failure.message}</span> : null}
            </td>
            <td>{refund.reason ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
