import { keepPreviousData } from "@tanstack/react-query";
import { currencyCodes } from "../../../shared/money";
import type { LedgerEntry, LedgerListField } from "../../../shared/schemas/payments";
import { useApiQuery } from "../../lib/api/useApi";
import { DataTable } from "../../ui/table/DataTable";
import type { ListSpec } from "../../ui/table/listParams";
import { useListState } from "../../ui/table/useListState";
import { LedgerBalances } from "./LedgerBalances";
import { ledgerColumns } from "./ledgerColumns";

const ledgerSpec: ListSpec<LedgerListField> = {
  sortable: ["createdAt", "transactionId", "account", "currency", "paymentId"],
  defaultSort: { field: "createdAt", direction: "desc" },
  filters: [
    { field: "account", op: "contains", label: "Account contains" },
    {
      field: "currency",
      op: "eq",
      label: "Currency",
      options: currencyCodes.map((code) => ({ value: code, label: code })),
    },
  ],
};

const rowProps = (entry: LedgerEntry) => ({ "data-testid": "ledger-row", "data-kind": entry.kind });

export function LedgerPage() {
  const list = useListState(ledgerSpec);
  // One call answers balances, totals and the page of entries.
  const ledger = useApiQuery((api) =>
    api.payments.ledger.queryOptions(list.query, { placeholderData: keepPreviousData }),
  );
  const entries = {
    data: ledger.data?.entries,
    isPending: ledger.isPending,
    isFetching: ledger.isFetching,
    error: ledger.error,
  };
  return (
    <>
      <title>Ledger · Gantry</title>
      <h1>Ledger</h1>
      {ledger.data ? <LedgerBalances balances={ledger.data.balances} totals={ledger.data.totals} /> : null}
      <section aria-labelledby="entries-heading" className="ledger-entries">
        <h2 id="entries-heading">Entries</h2>
        <DataTable
          caption="Ledger entries"
          columns={ledgerColumns}
          spec={ledgerSpec}
          list={list}
          result={entries}
          getRowId={(entry) => entry.id}
          noun={["entry", "entries"]}
          emptyMessage="No ledger entries match these filters."
          rowProps={rowProps}
        />
      </section>
    </>
  );
}
