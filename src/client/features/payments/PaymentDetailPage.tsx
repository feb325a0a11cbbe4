import { Link, useParams } from "react-router";
import { isUuid } from "../../../shared/ids";
import { formatMoney } from "../../../shared/money";
import { canWrite } from "../../../shared/ownership";
import { useAuth } from "../../lib/session/useAuth";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { LiveIndicator } from "../../ui/LiveIndicator";
import { PaymentSummary } from "./PaymentSummary";
import { RefundForm } from "./RefundForm";
import { RefundsList } from "./RefundsList";
import { isRefundable } from "./refundRights";
import { usePaymentLive } from "./usePaymentLive";

export function PaymentDetailPage() {
  const { id } = useParams();
  // Keyed by id: another payment is another feed and another form, not this one's leftovers.
  return isUuid(id) ? <PaymentDetail key={id} id={id} /> : <PaymentNotFound />;
}

function PaymentDetail({ id }: { id: string }) {
  const { user } = useAuth();
  const { payment, liveStatus } = usePaymentLive(id);

  if (payment.error?.data?.code === "NOT_FOUND") return <PaymentNotFound />;
  const detail = payment.data;
  const refundAllowed = detail !== undefined && canWrite(user, "payments:refund", detail);

  return (
    <>
      <title>
        {detail ? `Payment of ${formatMoney(detail.amount, detail.currency)} · Gantry` : "Payment · Gantry"}
      </title>
      <p className="back-link">
        <Link to="/payments">← All payments</Link>
      </p>
      <h1>{detail ? `Payment of ${formatMoney(detail.amount, detail.currency)}` : "Payment"}</h1>
      {payment.error ? <ErrorMessage error={payment.error} title="Could not load the payment" /> : null}
      {detail ? (
        <div className="panels payment-panels">
          <PaymentSummary
            payment={detail}
            live={<LiveIndicator status={liveStatus} missed={0} onShowNewest={() => {}} />}
          />
          <section className="panel" aria-labelledby="refunds-heading" data-testid="refunds-panel">
            <h2 id="refunds-heading">Refunds</h2>
            <RefundsList refunds={detail.refunds} />
            {refundAllowed && isRefundable(detail) ? <RefundForm payment={detail} /> : null}
          </section>
        </div>
      ) : payment.isPending ? (
        <p aria-busy="true">Loading…</p>
      ) : null}
    </>
  );
}

function PaymentNotFound() {
  return (
    <>
      <title>Payment not found · Gantry</title>
      <h1>Payment not found</h1>
      <p data-testid="payment-not-found">
        There is no payment at this address that you can see. <Link to="/payments">Back to your payments</Link>
      </p>
    </>
  );
}
