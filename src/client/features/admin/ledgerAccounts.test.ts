import { describe, expect, it } from "vitest";
import { describeAccount, sideOf } from "./ledgerAccounts";

describe("ledger accounts", () => {
  it("describes the accounts the payments service writes", () => {
    expect(describeAccount("provider_balance:sandbox")).toBe("Balance held by sandbox");
    expect(describeAccount("sales")).toBe("Sales (income)");
    expect(describeAccount("refunds")).toBe("Refunds given");
    expect(describeAccount("suspense:2025")).toBe("suspense:2025");
  });

  it("puts positive amounts on the debit side and negative ones on the credit side", () => {
    expect(sideOf(1250)).toBe("debit");
    expect(sideOf(-1250)).toBe("credit");
    expect(sideOf(0)).toBe("debit");
  });
});
