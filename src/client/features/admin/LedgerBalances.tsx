import { formatMoney } from "../../../shared/money";
import type { LedgerView } from "../../../shared/schemas/payments";
import { describeAccount, sideOf } from "./ledgerAccounts";

/** Per account and currency, and the books' check: every currency's entries sum to zero. */
export function LedgerBalances({ balances, totals }: Pick<LedgerView, "balances" | "totals">) {
  return (
    <div className="panels">
      <section className="panel" aria-labelledby="balances-heading" data-testid="ledger-balances">
        <h2 id="balances-heading">Balances</h2>
        {balances.length === 0 ? (
          <p className="muted-line">Nothing booked yet.</p>
        ) : (
          <table className="dependencies">
            <caption className="visually-hidden">Balance per account and currency</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Currency</th>
                <th scope="col">Balance</th>
              </tr>
            </thead>
            <tbody>
              {balances.map((row) => (
                <tr key={`${row.account}/${row.currency}`} data-testid="ledger-balance" data-account={row.account}>
                  <td>
                    <code>{row.account}</code>
                    <span className="muted-line block">{describeAccount(row.account)}</span>
                  </td>
                  <td>{row.currency}</td>
                  <td data-testid="ledger-balance-amount">
                    {formatMoney(Math.abs(row.balance), row.currency)} {row.balance === 0 ? "" : sideOf(row.balance)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="totals-heading" data-testid="ledger-totals">
        <h2 id="totals-heading">Totals</h2>
        {totals.length === 0 ? (
          <p className="muted-line">No currencies yet.</p>
        ) : (
          <ul className="totals-list">
            {totals.map(({ currency, total }) => (
              <li key={currency} data-testid="ledger-total" data-currency={currency}>
                <span>{currency}</span>
                <span>{formatMoney(total, currency)}</span>
                <span className={`badge ${total === 0 ? "badge-up" : "badge-down"}`}>
                  {total === 0 ? "Balanced" : "Out of balance"}
                </span>
              </li>
            ))}
          </ul>
        )}
        <p className="muted">Debits are positive and credits negative; each currency's entries must sum to zero.</p>
      </section>
    </div>
  );
}
