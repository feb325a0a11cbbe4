import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { type CurrencyCode, currencies, isCurrencyCode } from "../../../shared/money";
import type { Payment, PaymentDetail, PaymentProvidersInfo } from "../../../shared/schemas/payments";
import { isWorthRetrying } from "../../lib/api/apiError";
import { formErrors } from "../../lib/api/formErrors";
import { useApi, useApiMutation } from "../../lib/api/useApi";
import { useIdempotentAttempt } from "../../lib/api/useIdempotentAttempt";
import { FormAlert } from "../../ui/form/FormAlert";
import { textOf } from "../../ui/form/formValues";
import { SelectField } from "../../ui/form/SelectField";
import { TextField } from "../../ui/form/TextField";
import { amountExample, amountHint, readAmount } from "./amountInput";
import { paymentPath } from "./paymentLinks";
import { isSettling } from "./paymentStatus";
import { initialCurrency, initialMethod, initialProvider } from "./providerInfo";
import { TestCardChooser } from "./TestCardChooser";

const FIELDS = ["amount", "currency", "paymentMethod", "provider", "description"] as const;

/**
 * Pays through a provider. Every submission carries an idempotency key: the same form sent
 * again (a double click, a retry after the network failed) reuses it, so the server answers
 * with the first payment instead of charging twice. On success the payment's page opens,
 * where its status follows the provider live.
 */
export function PayForm({ info }: { info: PaymentProvidersInfo }) {
  const navigate = useNavigate();
  const { api, queryClient } = useApi();
  const attempts = useIdempotentAttempt();
  const [providerId, setProviderId] = useState(() => initialProvider(info)?.id ?? "");
  const provider = info.providers.find((candidate) => candidate.id === providerId);
  const [chosenCurrency, setCurrency] = useState<CurrencyCode | undefined>(() => initialCurrency(provider));
  // A provider switch can drop the chosen currency; fall back rather than send one it refuses.
  const currency =
    chosenCurrency && provider?.currencies.includes(chosenCurrency) ? chosenCurrency : initialCurrency(provider);
  const [amountProblem, setAmountProblem] = useState<string | null>(null);
  const create = useApiMutation((api) => api.payments.create.mutationOptions(), {
    invalidates: (api) => [api.payments.list.pathFilter()],
    idempotent: true,
  });
  const errors = formErrors(create.error, info.providers.length > 1 ? FIELDS : FIELDS.filter((f) => f !== "provider"));

  if (!provider || !currency) {
    return <p className="notice">No payment provider is enabled on this server.</p>;
  }

  /** The detail page shows the answer at once; the live feed takes it from there. */
  const showPayment = (payment: Payment) => {
    if (isSettling(payment.status)) {
      // Nothing captured yet, so nothing refunded or refundable: this is the whole detail.
      const detail: PaymentDetail = { ...payment, refunds: [], refundableAmount: 0 };
      queryClient.setQueryData(api.payments.byId.queryKey({ id: payment.id }), detail);
    }
    navigate(paymentPath(payment.id));
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const form = event.currentTarget;
    const amount = readAmount(textOf(form, "amount"), currency, info.maxAmount);
    if (!amount.ok) {
      setAmountProblem(amount.message);
      create.reset();
      return;
    }
    setAmountProblem(null);
    const params = {
      amount: amount.minor,
      currency,
      paymentMethod: textOf(form, "paymentMethod").trim(),
      provider: provider.id,
      description: textOf(form, "description").trim() || undefined,
    };
    const idempotencyKey = attempts.keyFor(params);
    create.mutate(
      { ...params, idempotencyKey },
      {
        onSuccess: (payment) => {
          attempts.succeeded(idempotencyKey);
          showPayment(payment);
        },
        onError: (error) => attempts.failed(idempotencyKey, error),
      },
    );
  };

  const amountErrors = amountProblem ? [amountProblem] : errors.byField.amount;
  const retrySafe = create.error !== null && isWorthRetrying(create.error);
  const testMethods = provider.testPaymentMethods;

  return (
    <form className="form" noValidate onSubmit={submit} aria-label="Pay" data-testid="pay-form">
      <FormAlert errors={errors} waitSeconds={0} />
      {retrySafe ? (
        <p className="notice" data-testid="pay-retry-safe">
          Press Pay again to retry: it is the same payment, and you will not be charged twice.
        </p>
      ) : null}
      {info.providers.length > 1 ? (
        <SelectField
          label="Provider"
          name="provider"
          value={provider.id}
          onChange={(event) => setProviderId(event.target.value)}
          options={info.providers.map((p) => ({ value: p.id, label: p.name }))}
          errors={errors.byField.provider}
        />
      ) : null}
      <div className="amount-row">
        <TextField
          label="Amount"
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          placeholder={amountExample(currency)}
          hint={amountHint(currency, info.maxAmount)}
          required
          errors={amountErrors}
        />
        <SelectField
          label="Currency"
          name="currency"
          value={currency}
          onChange={(event) => {
            const code = event.target.value;
            if (isCurrencyCode(code)) setCurrency(code);
          }}
          options={provider.currencies.map((code) => ({ value: code, label: `${code} · ${currencies[code].name}` }))}
          errors={errors.byField.currency}
        />
      </div>
      {testMethods.length > 0 ? (
        <TestCardChooser
          key={provider.id}
          methods={testMethods}
          defaultMethod={initialMethod(provider)?.id}
          errors={errors.byField.paymentMethod}
        />
      ) : (
        <TextField
          label="Payment method"
          name="paymentMethod"
          autoComplete="off"
          hint="The provider's payment method id, e.g. pm_card_visa in Stripe's test mode."
          required
          errors={errors.byField.paymentMethod}
        />
      )}
      <TextField
        label="Description"
        name="description"
        autoComplete="off"
        maxLength={500}
        hint="Optional: shown in your payments list."
        errors={errors.byField.description}
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={create.isPending} data-testid="pay-submit">
          {create.isPending ? "Paying…" : "Pay"}
        </button>
      </div>
    </form>
  );
}
