import { type PaymentEventType, paymentEventTypes } from "../../../shared/events/payments.js";
import type { CurrencyCode } from "../../../shared/money.js";
import { type Caller, ownerFilter } from "../../../shared/ownership.js";
import type { ListQuery, Page } from "../../../shared/schemas/list.js";
import type {
  CreatePaymentInput,
  LedgerListField,
  LedgerView,
  Payment,
  PaymentDetail,
  PaymentListField,
  PaymentProvidersInfo,
  RefundPaymentInput,
  RefundResult,
} from "../../../shared/schemas/payments.js";
import type { EventBus } from "../../core/events/index.js";
import { follow } from "../../core/live.js";
import type { Logger } from "../../core/logger.js";
import type { Database } from "../../db/database.js";
import type { IdempotencyKeysRepository } from "../../repositories/idempotency-keys.js";
import type { LedgerRepository } from "../../repositories/ledger.js";
import { paymentPartiesByIds, peopleByIds } from "../../repositories/names.js";
import type { PaymentRefundsRepository } from "../../repositories/payment-refunds.js";
import type { PaymentsRepository } from "../../repositories/payments.js";
import type { WebhookEventsRepository } from "../../repositories/webhook-events.js";
import { assertCanRead } from "../ownership.js";
import { PaymentCreator } from "./create-payment.js";
import { toLedgerEntry, toPayment, toPaymentDetail } from "./dto.js";
import { IdempotencyGuard, type IdempotencyOptions } from "./idempotency.js";
import { totalsByCurrency } from "./ledger.js";
import { PaymentLifecycle } from "./lifecycle.js";
import type { PaymentProvider, WebhookRequest } from "./provider.js";
import type { PaymentProviders } from "./provider-registry.js";
import { PaymentRefunder } from "./refund-payment.js";
import { type WebhookOutcome, WebhookReceiver } from "./webhook-receiver.js";

export interface PaymentsServiceDeps {
  db: Database;
  payments: PaymentsRepository;
  refunds: PaymentRefundsRepository;
  ledger: LedgerRepository;
  idempotencyKeys: IdempotencyKeysRepository;
  webhookEvents: WebhookEventsRepository;
  events: EventBus;
  providers: PaymentProviders;
  maxAmount: number;
  logger: Logger;
  idempotency?: IdempotencyOptions;
}

/** Payments through pluggable providers: idempotent creates and refunds, verified webhooks, a double-entry ledger. */
export class PaymentsService {
  private readonly creator: PaymentCreator;
  private readonly refunder: PaymentRefunder;
  private readonly receiver: WebhookReceiver;
  private readonly guard: IdempotencyGuard;

  constructor(private readonly deps: PaymentsServiceDeps) {
    const { db, payments, refunds, ledger, events, providers, logger } = deps;
    const lifecycle = new PaymentLifecycle({ payments, refunds, ledger, events });
    this.guard = new IdempotencyGuard(db, deps.idempotencyKeys, deps.idempotency);
    const common = { db, payments, events, lifecycle, providers, idempotency: this.guard, logger };
    this.creator = new PaymentCreator({ ...common, maxAmount: deps.maxAmount });
    this.refunder = new PaymentRefunder({ ...common, refunds });
    this.receiver = new WebhookReceiver({
      db,
      payments,
      refunds,
      webhookEvents: deps.webhookEvents,
      lifecycle,
      providers,
      logger,
    });
  }

  providers(): PaymentProvidersInfo {
    const { providers, maxAmount } = this.deps;
    return { defaultProvider: providers.defaultId ?? null, maxAmount, providers: providers.describe() };
  }

  /** The provider instance, for wiring (the sandbox's settlement job) and tests (its call counts). */
  provider(id: string): PaymentProvider | undefined {
    return this.deps.providers.get(id);
  }

  create(caller: Caller, input: CreatePaymentInput): Promise<Payment> {
    return this.creator.create(caller, input);
  }

  refund(caller: Caller, input: RefundPaymentInput): Promise<RefundResult> {
    return this.refunder.refund(caller, input);
  }

  /** Someone else's payment is NOT_FOUND, exactly like one that does not exist. */
  async byId(caller: Caller, id: string): Promise<PaymentDetail> {
    const payment = assertCanRead(caller, "payments", "Payment", await this.deps.payments.findById(this.deps.db, id));
    return toPaymentDetail(payment, await this.deps.refunds.listForPayment(this.deps.db, id));
  }

  async list(caller: Caller, query: ListQuery<PaymentListField>): Promise<Page<Payment>> {
    const page = await this.deps.payments.listFor(this.deps.db, query, ownerFilter(caller, "payments"));
    const people = await peopleByIds(
      this.deps.db,
      page.items.map((row) => row.ownerId),
    );
    return { ...page, items: page.items.map((row) => ({ ...toPayment(row), owner: people.get(row.ownerId) })) };
  }

  async ledger(query: ListQuery<LedgerListField>): Promise<LedgerView> {
    const { db, ledger } = this.deps;
    const [balances, entries] = await Promise.all([ledger.balances(db), ledger.list(db, query)]);
    const parties = await paymentPartiesByIds(
      db,
      entries.items.map((entry) => entry.paymentId),
    );
    const totals = totalsByCurrency(balances.map(({ currency, balance }) => ({ currency, amount: balance })));
    return {
      balances: balances.map((b) => ({ ...b, currency: b.currency as CurrencyCode })),
      totals: [...totals].map(([currency, total]) => ({ currency: currency as CurrencyCode, total })),
      entries: {
        ...entries,
        items: entries.items.map((row) => {
          const party = parties.get(row.paymentId);
          return { ...toLedgerEntry(row), payer: party?.payer, paymentDescription: party?.description };
        }),
      },
    };
  }

  /**
   * The payment now, then again after every change (pending -> processing -> succeeded,
   * refunds). Listening starts before the first read, so no change falls in between.
   */
  live(caller: Caller, id: string, signal?: AbortSignal): AsyncGenerator<PaymentDetail> {
    return follow<PaymentDetail, never>({
      signal,
      snapshot: () => this.byId(caller, id),
      // A payment that succeeded may still be refunded: it never stops changing for good.
      done: () => false,
      subscribe: async (wake) => this.onPaymentEvent(id, () => wake()),
    });
  }

  /** Calls `listener` after each committed event about this payment; returns the unsubscribe. */
  onPaymentEvent(paymentId: string, listener: (type: PaymentEventType) => void): () => void {
    return this.deps.events.listen(paymentEventTypes, (envelope) => {
      if (envelope.payload.paymentId === paymentId) listener(envelope.type);
    });
  }

  /** Every provider webhook, from HTTP or from the sandbox's settlement job. */
  receiveWebhook(providerId: string, request: WebhookRequest, now?: Date): Promise<WebhookOutcome> {
    return this.receiver.receive(providerId, request, now);
  }

  /** Idempotency keys are kept 24 h; a scheduled job calls this. */
  purgeIdempotencyKeys(now = new Date()): Promise<number> {
    return this.guard.purgeExpired(now);
  }
}
