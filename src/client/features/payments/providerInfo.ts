import type { CurrencyCode } from "../../../shared/money";
import type { PaymentProviderInfo, PaymentProvidersInfo, TestPaymentMethod } from "../../../shared/schemas/payments";

/** The provider a new payment goes to unless the payer picks another: the server's default. */
export function initialProvider(info: PaymentProvidersInfo): PaymentProviderInfo | undefined {
  return info.providers.find((provider) => provider.id === info.defaultProvider) ?? info.providers[0];
}

/** USD when the provider takes it (the sandbox's examples are in dollars), else its first currency. */
export function initialCurrency(provider: PaymentProviderInfo | undefined): CurrencyCode | undefined {
  const currencies = provider?.currencies ?? [];
  return currencies.includes("USD") ? "USD" : currencies[0];
}

/** The first test card that succeeds, so the form's default pays. */
export function initialMethod(provider: PaymentProviderInfo | undefined): TestPaymentMethod | undefined {
  const methods = provider?.testPaymentMethods ?? [];
  return methods.find((method) => method.outcome === "succeeds") ?? methods[0];
}

/** "Visa (succeeds)" for a sandbox test card; the id itself for anything else. */
export function methodLabel(info: PaymentProvidersInfo | undefined, providerId: string, methodId: string): string {
  const provider = info?.providers.find((candidate) => candidate.id === providerId);
  return provider?.testPaymentMethods.find((method) => method.id === methodId)?.label ?? methodId;
}

export function providerName(info: PaymentProvidersInfo | undefined, providerId: string): string {
  return info?.providers.find((provider) => provider.id === providerId)?.name ?? providerId;
}
