import type { PaymentProviderInfo } from "../../../shared/schemas/payments.js";
import type { PaymentProvider } from "./provider.js";

/** The providers this deployment has enabled, by id, and which one payments use by default. */
export class PaymentProviders {
  private readonly byId: ReadonlyMap<string, PaymentProvider>;

  constructor(
    providers: readonly PaymentProvider[],
    readonly defaultId: string | undefined,
  ) {
    this.byId = new Map(providers.map((provider) => [provider.id, provider]));
  }

  get(id: string): PaymentProvider | undefined {
    return this.byId.get(id);
  }

  list(): PaymentProvider[] {
    return [...this.byId.values()];
  }

  describe(): PaymentProviderInfo[] {
    return this.list().map((provider) => ({
      id: provider.id,
      name: provider.name,
      refunds: provider.capabilities.refunds,
      partialRefunds: provider.capabilities.partialRefunds,
      asyncSettlement: provider.capabilities.asyncSettlement,
      currencies: [...provider.capabilities.currencies],
      testPaymentMethods: [...provider.capabilities.testPaymentMethods],
    }));
  }
}
