import { useAuth } from "../../lib/session/useAuth";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { PayForm } from "./PayForm";
import { PaymentsTable } from "./PaymentsTable";
import { useProviders } from "./useProviders";

export function PaymentsPage() {
  const { can } = useAuth();
  const everyone = can("payments:read:any");
  return (
    <>
      <title>Payments · Gantry</title>
      <h1>Payments</h1>
      <div className="payments-layout">
        {can("payments:create") ? <NewPayment /> : null}
        <section aria-labelledby="payments-list-heading">
          <h2 id="payments-list-heading">{everyone ? "All payments" : "Your payments"}</h2>
          <PaymentsTable everyone={everyone} />
        </section>
      </div>
    </>
  );
}

function NewPayment() {
  const providers = useProviders();
  return (
    <section className="panel pay-panel" aria-labelledby="pay-heading">
      <h2 id="pay-heading">New payment</h2>
      {providers.error ? <ErrorMessage error={providers.error} title="Could not load the payment providers" /> : null}
      {providers.data ? (
        <PayForm info={providers.data} />
      ) : providers.isPending ? (
        <p aria-busy="true">Loading…</p>
      ) : null}
    </section>
  );
}
