import { describe, expect, it } from "vitest";
import type { PaymentProvidersInfo } from "../../../shared/schemas/payments";
import { initialCurrency, initialMethod, initialProvider, methodLabel } from "./providerInfo";

const info: PaymentProvidersInfo = {
  defaultProvider: "sandbox",
  maxAmount: 99_999_999,
  providers: [
    {
      id: "stripe",
      name: "Stripe",
      refunds: true,
      partialRefunds: true,
      asyncSettlement: true,
      currencies: ["EUR", "JPY"],
      testPaymentMethods: [],
    },
    {
      id: "sandbox",
      name: "Sandbox",
      refunds: true,
      partialRefunds: true,
      asyncSettlement: true,
      currencies: ["EUR", "USD"],
      testPaymentMethods: [
        { id: "pm_card_chargeDeclined", label: "Declined card", outcome: "fails" },
        { id: "pm_card_visa", label: "Visa (succeeds)", outcome: "succeeds" },
      ],
    },
  ],
};

describe("pay form defaults", () => {
  it("start with the server's default provider, dollars and a card that succeeds", () => {
    const provider = initialProvider(info);
    expect(provider?.id).toBe("sandbox");
    expect(initialCurrency(provider)).toBe("USD");
    expect(initialMethod(provider)?.id).toBe("pm_card_visa");
  });

  it("fall back to the provider's first currency and to no test card for real providers", () => {
    const stripe = info.providers[0];
    expect(initialCurrency(stripe)).toBe("EUR");
    expect(initialMethod(stripe)).toBeUndefined();
    expect(initialProvider({ ...info, defaultProvider: null })?.id).toBe("stripe");
  });

  it("label test cards by name and other methods by id", () => {
    expect(methodLabel(info, "sandbox", "pm_card_chargeDeclined")).toBe("Declined card");
    expect(methodLabel(info, "stripe", "pm_1Abc")).toBe("pm_1Abc");
    expect(methodLabel(undefined, "sandbox", "pm_card_visa")).toBe("pm_card_visa");
  });
});
