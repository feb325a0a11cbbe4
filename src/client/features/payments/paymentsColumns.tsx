import { Link } from "react-router";
import { shortId } from "../../../shared/ids";
import { formatMoney } from "../../../shared/money";
import type { Payment } from "../../../shared/schemas/payments";
import { formatDateTime } from "../../ui/format";
import { columnsFor } from "../../ui/table/dataTableFeatures";
import { PaymentStatusBadge } from "./PaymentStatusBadge";
import { paymentPath } from "./paymentLinks";

const column = columnsFor<Payment>();

// Column ids are the server's list fields (src/shared/schemas/payments.ts), which is how sorting finds them.
const amount = column.accessor("amount", {
  header: "Amount",
  cell: ({ row }) => (
    <Link to={paymentPath(row.original.id)} className="amount" data-testid="payment-link">
      {formatMoney(row.original.amount, row.original.currency)}
    </Link>
  ),
});
const currency = column.accessor("currency", { header: "Currency" });
const status = column.accessor("status", {
  header: "Status",
  cell: ({ getValue }) => <PaymentStatusBadge status={getValue()} testId="payment-row-status" />,
});
const method = column.accessor("paymentMethod", {
  header: "Method",
  cell: ({ getValue }) => <code>{getValue()}</code>,
});
const provider = column.accessor("provider", { header: "Provider" });
const description = column.accessor("description", { header: "Description", cell: ({ getValue }) => getValue() ?? "" });
const created = column.accessor("createdAt", {
  header: "Created",
  cell: ({ getValue }) => <time dateTime={getValue().toISOString()}>{formatDateTime(getValue())}</time>,
});
const payer = column.accessor("ownerId", {
  header: "Payer",
  cell: ({ getValue }) => (
    <code title={getValue()} className="muted-line">
      {shortId(getValue())}
    </code>
  ),
});

/** Module scope: the table needs stable columns. A payer's own list needs no payer column. */
export const ownPaymentColumns = column.columns([created, amount, currency, status, method, provider, description]);
export const allPaymentColumns = column.columns([
  created,
  amount,
  currency,
  status,
  method,
  provider,
  payer,
  description,
]);
