import type { ReactNode } from "react";
import { formatMoney } from "../../../shared/money";
import type { PaymentDetail } from "../../../shared/schemas/payments";
import { formatDateTime } from "../../ui/format";
import { PaymentStatusBadge } from "./PaymentStatusBadge";
import { explainFailure, isSettling } from "./paymentStatus";
import { methodLabel, providerName } from "./providerInfo";
import { useProviders } from "./useProviders";

interface PaymentSummaryProps {
  payment: PaymentDetail;
  /** Whether updates arrive by themselves. */
  live: ReactNode;
}

/** The facts of one payment; the status line is a live region, so a change is announced as it arrives. */
export function PaymentSummary({ payment, live }: PaymentSummaryProps) {
  const providers = useProviders();
  const money = (amount: number) => formatMoney(amount, payment.currency);
  const captured = !isSettling(payment.status) && payment.status !== "failed" && payment.status !== "canceled";
  return (
    <section className="panel" aria-labelledby="payment-heading" data-testid="payment-summary">
      <h2 id="payment-heading">Details</h2>
      {payment.status === "failed" || payment.status === "canceled" ? <FailureNotice payment={payment} /> : null}
      <dl className="facts">
        <dt>Status</dt>
        <dd role="status">
          <PaymentStatusBadge status={payment.status} testId="payment-status" />
          {isSettling(payment.status) ? (
            <span className="muted-line"> Waiting for the provider; this page updates by itself.</span>
          ) : null}
        </dd>
        <dt>Amount</dt>
        <dd data-testid="payment-amount">{money(payment.amount)}</dd>
        {captured ? (
          <>
            <dt>Refunded</dt>
            <dd data-testid="payment-refunded">{money(payment.refundedAmount)}</dd>
            <dt>Refundable</dt>
            <dd data-testid="payment-refundable">{money(payment.refundableAmount)}</dd>
          </>
        ) : null}
        <dt>Method</dt>
        <dd>
          {methodLabel(providers.data, payment.provider, payment.paymentMethod)} <code>{payment.paymentMethod}</code>
        </dd>
        <dt>Provider</dt>
        <dd data-testid="payment-provider">{providerName(providers.data, payment.provider)}</dd>
        {payment.description ? (
          <>
            <dt>Description</dt>
            <dd data-testid="payment-description">{payment.description}</dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>
          <time dateTime={payment.createdAt.toISOString()}>{formatDateTime(payment.createdAt)}</time>
        </dd>
        <dt>Reference</dt>
        <dd>
          <code>{payment.id}</code>
        </dd>
        {payment.providerPaymentId ? (
          <>
            <dt>Provider reference</dt>
            <dd>
              <code>{payment.providerPaymentId}</code>
            </dd>
          </>
        ) : null}
      </dl>
      {live}
    </section>
  );
}

function FailureNotice({ payment }: { payment: PaymentDetail }) {
  const { title, detail } = explainFailure(payment.failure);
  return (
    <div role="alert" className="error-message" data-testid="payment-failure" data-code={payment.failure?.code}>
      <strong>{title}</strong>
      <p>{detail}</p>
      {payment.failure?.message && !sameWords(payment.failure.message, [title, detail]) ? (
        <p className="failure-reason">Provider's reason: {payment.failure.message}</p>
      ) : null}
    </div>
  );
}

/** The provider's reason is worth its own line only when it adds something to what is already said. */
function sameWords(message: string, shown: readonly string[]): boolean {
  const plain = (text: string) => text.trim().replace(/\.$/, "").toLowerCase();
  return shown.some((text) => plain(text) === plain(message));
}
