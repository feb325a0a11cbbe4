import { Link } from "react-router";
import { shortId } from "../../../shared/ids";
import { formatMoney } from "../../../shared/money";
import type { LedgerEntry } from "../../../shared/schemas/payments";
import { formatDateTime } from "../../ui/format";
import { columnsFor } from "../../ui/table/dataTableFeatures";
import { paymentPath } from "../payments";
import { describeAccount, sideOf } from "./ledgerAccounts";

const column = columnsFor<LedgerEntry>();

/** Debit and credit in their own columns, as a ledger is read; the signed amount is in the title. */
function SideAmount({ entry, side }: { entry: LedgerEntry; side: "debit" | "credit" }) {
  if (sideOf(entry.amount) !== side) return null;
  return (
    <span title={String(entry.amount)} data-testid={`ledger-${side}`}>
      {formatMoney(Math.abs(entry.amount), entry.currency)}
    </span>
  );
}

export const ledgerColumns = column.columns([
  column.accessor("createdAt", {
    header: "When",
    cell: ({ getValue }) => <time dateTime={getValue().toISOString()}>{formatDateTime(getValue())}</time>,
  }),
  column.accessor("transactionId", {
    header: "Transaction",
    cell: ({ getValue }) => <code title={getValue()}>{shortId(getValue())}</code>,
  }),
  column.accessor("account", {
    header: "Account",
    cell: ({ getValue }) => <span title={describeAccount(getValue())}>{getValue()}</span>,
  }),
  column.accessor("kind", { header: "Kind" }),
  column.accessor("currency", { header: "Currency" }),
  column.display({ id: "debit", header: "Debit", cell: ({ row }) => <SideAmount entry={row.original} side="debit" /> }),
  column.display({
    id: "credit",
    header: "Credit",
    cell: ({ row }) => <SideAmount entry={row.original} side="credit" />,
  }),
  column.accessor("paymentId", {
    header: "Payment",
    cell: ({ getValue }) => (
      <Link to={paymentPath(getValue())} title={getValue()}>
        {shortId(getValue())}
      </Link>
    ),
  }),
]);
