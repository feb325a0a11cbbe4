import type { Actor } from "../../../shared/events.js";
import { formatMoney } from "../../../shared/money.js";
import type { Caller } from "../../../shared/ownership.js";
import type { CreatePaymentInput, Payment } from "../../../shared/schemas/payments.js";
import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import type { Database } from "../../db/database.js";
import type { PaymentRow, PaymentsRepository } from "../../repositories/payments.js";
import { badInput, DomainError } from "../errors.js";
import { toPayment } from "./dto.js";
import type { IdempotencyClaim, IdempotencyGuard } from "./idempotency.js";
import type { PaymentLifecycle } from "./lifecycle.js";
import { type ChargeResult, type PaymentProvider, ProviderRequestRejected } from "./provider.js";
import type { PaymentProviders } from "./provider-registry.js";

export interface CreatePaymentDeps {
  db: Database;
  payments: PaymentsRepository;
  events: EventBus;
  lifecycle: PaymentLifecycle;
  providers: PaymentProviders;
  idempotency: IdempotencyGuard;
  maxAmount: number;
  logger: Logger;
}

export const CREATE_SCOPE = "payments.create";

/**
 * `payments.create`: validate everything that can be validated before a row is written, then,
 * under the idempotency key: record the payment (pending), ask the provider once, and commit
 * its answer together with the stored response.
 */
export class PaymentCreator {
  constructor(private readonly deps: CreatePaymentDeps) {}

  async create(caller: Caller, input: CreatePaymentInput): Promise<Payment> {
    const provider = this.providerFor(input.provider);
    if (!provider.capabilities.currencies.includes(input.currency)) {
      throw badInput("currency", `${provider.name} does not take payments in ${input.currency}.`);
    }
    if (input.amount > this.deps.maxAmount) {
      throw badInput(
        "amount",
        `The amount is above the limit: a single payment may be at most ${formatMoney(this.deps.maxAmount, input.currency, "en-US")}.`,
      );
    }
    const methodProblem = provider.paymentMethodProblem(input.paymentMethod);
    if (methodProblem) throw badInput("paymentMethod", methodProblem);

    const params = {
      amount: input.amount,
      currency: input.currency,
      paymentMethod: input.paymentMethod,
      provider: provider.id,
      description: input.description || null,
    };
    return this.deps.idempotency.run(
      { scope: CREATE_SCOPE, userId: caller.id, key: input.idempotencyKey, params },
      (claim) => this.run(caller, provider, params, claim),
    );
  }

  private providerFor(requested: string | undefined): PaymentProvider {
    const id = requested ?? this.deps.providers.defaultId;
    const provider = id ? this.deps.providers.get(id) : undefined;
    if (!provider) {
      const known = this.deps.providers
        .list()
        .map((p) => p.id)
        .join(", ");
      throw badInput(
        "provider",
        id ? `Unknown payment provider "${id}". Available: ${known || "none"}.` : "No payment provider is enabled.",
      );
    }
    return provider;
  }

  private async run(
    caller: Caller,
    provider: PaymentProvider,
    params: { amount: number; currency: Payment["currency"]; paymentMethod: string; description: string | null },
    claim: IdempotencyClaim,
  ): Promise<Payment> {
    const { db, payments, events, lifecycle } = this.deps;
    const actor: Actor = { kind: "user", id: caller.id };
    const resumed = claim.resourceId ? await payments.findById(db, claim.resourceId) : undefined;
    const payment =
      resumed ??
      (await db.transaction(async (tx) => {
        const row = await payments.insert(tx, { ...params, ownerId: caller.id, provider: provider.id });
        await events.publish(
          tx,
          "payment.created",
          {
            paymentId: row.id,
            userId: row.ownerId,
            status: row.status,
            amount: row.amount,
            currency: params.currency,
            provider: row.provider,
            paymentMethod: row.paymentMethod,
          },
          actor,
        );
        await claim.attach(tx, row.id);
        return row;
      }));

    // An earlier attempt, or a webhook, already has the provider's answer: do not ask again.
    const result =
      payment.status === "pending" && !payment.providerPaymentId ? await this.charge(provider, payment) : undefined;

    return db.transaction(async (tx) => {
      let current = (await payments.lock(tx, payment.id)) as PaymentRow;
      if (result) {
        const target = result.status;
        const failure = result.status === "failed" || result.status === "canceled" ? result.failure : null;
        ({ payment: current } = await lifecycle.settle(
          tx,
          current,
          target,
          { providerPaymentId: result.providerPaymentId, failure },
          actor,
        ));
      }
      const response = toPayment(current);
      await claim.complete(tx, response);
      return response;
    });
  }

  /** The provider is called with the payment's own id as its idempotency key: a retry names the same charge. */
  private async charge(provider: PaymentProvider, payment: PaymentRow): Promise<ChargeResult> {
    try {
      return await provider.charge({
        paymentId: payment.id,
        amount: payment.amount,
        currency: payment.currency as Payment["currency"],
        paymentMethod: payment.paymentMethod,
        description: payment.description,
        idempotencyKey: `gantry-payment-${payment.id}`,
      });
    } catch (error) {
      if (error instanceof ProviderRequestRejected) {
        return { status: "failed", providerPaymentId: error.providerPaymentId, failure: error.failure };
      }
      this.deps.logger.warn(
        { err: error, paymentId: payment.id, provider: provider.id },
        "payment provider unavailable",
      );
      throw new DomainError(
        "SERVICE_UNAVAILABLE",
        "The payment provider did not answer. Retry with the same idempotency key: you will not be charged twice.",
      );
    }
  }
}
