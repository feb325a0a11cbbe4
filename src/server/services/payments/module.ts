import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import type { Database } from "../../db/database.js";
import { IdempotencyKeysRepository } from "../../repositories/idempotency-keys.js";
import { LedgerRepository } from "../../repositories/ledger.js";
import { PaymentRefundsRepository } from "../../repositories/payment-refunds.js";
import { PaymentsRepository } from "../../repositories/payments.js";
import { WebhookEventsRepository } from "../../repositories/webhook-events.js";
import { PaymentsService } from "./payments-service.js";
import type { PaymentProvider } from "./provider.js";
import { PaymentProviders } from "./provider-registry.js";

/**
 * Builds the payments domain. The composition root decides which providers exist (the sandbox,
 * Stripe) from the config and passes them in; this builds the repositories and the service.
 */
export function createPayments(options: {
  db: Database;
  events: EventBus;
  providers: PaymentProvider[];
  /** PAYMENT_DEFAULT_PROVIDER */
  defaultProvider: string | undefined;
  /** PAYMENT_MAX_AMOUNT */
  maxAmount: number;
  logger: Logger;
}): PaymentsService {
  return new PaymentsService({
    db: options.db,
    payments: new PaymentsRepository(),
    refunds: new PaymentRefundsRepository(),
    ledger: new LedgerRepository(),
    idempotencyKeys: new IdempotencyKeysRepository(),
    webhookEvents: new WebhookEventsRepository(),
    events: options.events,
    providers: new PaymentProviders(options.providers, options.defaultProvider),
    maxAmount: options.maxAmount,
    logger: options.logger.child({ component: "payments" }),
  });
}
