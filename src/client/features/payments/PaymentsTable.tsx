import { keepPreviousData } from "@tanstack/react-query";
import { currencyCodes } from "../../../shared/money";
import type { Payment, PaymentListField } from "../../../shared/schemas/payments";
import { useApiQuery } from "../../lib/api/useApi";
import { DataTable } from "../../ui/table/DataTable";
import type { ListSpec } from "../../ui/table/listParams";
import { useListState } from "../../ui/table/useListState";
import { isSettling, paymentStatusOptions } from "./paymentStatus";
import { allPaymentColumns, ownPaymentColumns } from "./paymentsColumns";

const paymentsSpec: ListSpec<PaymentListField> = {
  sortable: ["createdAt", "amount", "currency", "status", "provider", "ownerId"],
  defaultSort: { field: "createdAt", direction: "desc" },
  filters: [
    { field: "status", op: "eq", label: "Status", options: paymentStatusOptions },
    {
      field: "currency",
      op: "eq",
      label: "Currency",
      options: currencyCodes.map((code) => ({ value: code, label: code })),
    },
  ],
};

/**
 * While a payment on the page awaits its provider, ask again this often: the list has no
 * live feed of its own (the detail page has), and settlement takes about a second.
 */
const SETTLING_REFRESH_MS = 2_000;

const rowProps = (payment: Payment) => ({ "data-testid": "payment-row", "data-status": payment.status });

interface PaymentsTableProps {
  /** Everyone's payments (payments:read:any) rather than one's own: adds the payer column. */
  everyone: boolean;
}

export function PaymentsTable({ everyone }: PaymentsTableProps) {
  const list = useListState(paymentsSpec);
  const payments = useApiQuery((api) =>
    api.payments.list.queryOptions(list.query, {
      placeholderData: keepPreviousData,
      refetchInterval: (query) =>
        query.state.data?.items.some((payment) => isSettling(payment.status)) ? SETTLING_REFRESH_MS : false,
    }),
  );
  return (
    <DataTable
      caption="Payments"
      columns={everyone ? allPaymentColumns : ownPaymentColumns}
      spec={paymentsSpec}
      list={list}
      result={payments}
      getRowId={(payment) => payment.id}
      noun={["payment", "payments"]}
      emptyMessage={list.query.filter.length > 0 ? "No payments match these filters." : "No payments yet."}
      rowProps={rowProps}
    />
  );
}
