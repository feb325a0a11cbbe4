import { type FormEvent, useState } from "react";
import { formatMinorUnits, formatMoney } from "../../../shared/money";
import type { PaymentDetail } from "../../../shared/schemas/payments";
import { isWorthRetrying } from "../../lib/api/apiError";
import { formErrors } from "../../lib/api/formErrors";
import { useApiMutation } from "../../lib/api/useApi";
import { useIdempotentAttempt } from "../../lib/api/useIdempotentAttempt";
import { FormAlert } from "../../ui/form/FormAlert";
import { textOf } from "../../ui/form/formValues";
import { TextField } from "../../ui/form/TextField";
import { amountHint, readRefundAmount } from "./amountInput";

const FIELDS = ["amount", "reason"] as const;

/**
 * Gives back part or all of what remains. Each refund has its own idempotency key (the
 * same form sent again after a lost answer reuses it), so one click never refunds twice.
 */
export function RefundForm({ payment }: { payment: PaymentDetail }) {
  const attempts = useIdempotentAttempt();
  const [amountProblem, setAmountProblem] = useState<string | null>(null);
  // Bumped after each refund: a fresh, empty form for the next one.
  const [formVersion, setFormVersion] = useState(0);
  const refund = useApiMutation((api) => api.payments.refund.mutationOptions(), {
    invalidates: (api) => [
      api.payments.byId.queryFilter({ id: payment.id }),
      api.payments.list.pathFilter(),
      api.payments.ledger.pathFilter(),
    ],
    idempotent: true,
  });
  const errors = formErrors(refund.error, FIELDS);
  const remaining = payment.refundableAmount;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (refund.isPending) return;
    const form = event.currentTarget;
    const amount = readRefundAmount(textOf(form, "amount"), payment.currency, remaining);
    if (!amount.ok) {
      setAmountProblem(amount.message);
      refund.reset();
      return;
    }
    setAmountProblem(null);
    const params = {
      paymentId: payment.id,
      amount: amount.minor,
      reason: textOf(form, "reason").trim() || undefined,
    };
    const idempotencyKey = attempts.keyFor(params);
    refund.mutate(
      { ...params, idempotencyKey },
      {
        // The refetch of the payment (invalidates, above) has landed by now: the form shows the new remainder.
        onSuccess: () => {
          attempts.succeeded(idempotencyKey);
          setFormVersion((version) => version + 1);
        },
        onError: (error) => attempts.failed(idempotencyKey, error),
      },
    );
  };

  const everything = formatMoney(remaining, payment.currency);
  return (
    <form
      key={formVersion}
      className="form refund-form"
      noValidate
      onSubmit={submit}
      aria-label="Refund"
      data-testid="refund-form"
    >
      <h3>Refund</h3>
      <FormAlert errors={errors} waitSeconds={0} />
      {refund.error && isWorthRetrying(refund.error) ? (
        <p className="notice">Press Refund again to retry: it is the same refund and will not be made twice.</p>
      ) : null}
      <TextField
        label="Amount"
        name="amount"
        inputMode="decimal"
        autoComplete="off"
        placeholder={formatMinorUnits(remaining, payment.currency)}
        hint={`Leave empty to refund everything that remains (${everything}). ${amountHint(payment.currency)}`}
        errors={amountProblem ? [amountProblem] : errors.byField.amount}
      />
      <TextField label="Reason" name="reason" autoComplete="off" maxLength={500} errors={errors.byField.reason} />
      <div className="form-actions">
        <button type="submit" className="danger" disabled={refund.isPending} data-testid="refund-submit">
          {refund.isPending ? "Refunding…" : "Refund"}
        </button>
        {refund.isSuccess ? (
          <span role="status" className="saved" data-testid="refund-done">
            Refunded {formatMoney(refund.data.refund.amount, refund.data.refund.currency)}.
          </span>
        ) : null}
      </div>
    </form>
  );
}
