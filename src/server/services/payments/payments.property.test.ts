import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Payment, PaymentStatus } from "../../../shared/schemas/payments.js";
import { paymentRefunds } from "../../db/schema/index.js";
import { LedgerRepository } from "../../repositories/ledger.js";
import type { TestApp } from "../../testing/app.js";
import { codeOf, createPaymentsTestApp, eventsFor, ledgerFor, newKey, sandboxOf } from "../../testing/payments.js";
import type { SandboxEvent } from "./providers/sandbox.js";
import { canTransition, pathTo, type SettlementStatus, statusAfterRefund } from "./state-machine.js";

/**
 * The whole service under random histories: creates, provider webhooks (in any order,
 * duplicated, contradicting each other) and refunds (some too large, some of payments not
 * captured). Whatever happens, the ledger balances and every payment is where the state
 * machine says it must be, with its money booked exactly once.
 */

const currencies = ["USD", "JPY", "KWD"] as const;
const settlementStatuses: SettlementStatus[] = ["processing", "succeeded", "failed", "canceled"];

type Command =
  | { kind: "create"; amount: number; currency: (typeof currencies)[number] }
  | { kind: "webhook"; target: number; status: SettlementStatus }
  | { kind: "replay"; target: number; which: number }
  | { kind: "refund"; target: number; amount: number | null };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant("create" as const),
    amount: fc.integer({ min: 1, max: 100_000 }),
    currency: fc.constantFrom(...currencies),
  }),
  fc.record({
    kind: fc.constant("webhook" as const),
    target: fc.nat(),
    status: fc.constantFrom(...settlementStatuses),
  }),
  fc.record({ kind: fc.constant("replay" as const), target: fc.nat(), which: fc.nat() }),
  fc.record({
    kind: fc.constant("refund" as const),
    target: fc.nat(),
    amount: fc.option(fc.integer({ min: 1, max: 120_000 }), { nil: null }),
  }),
);

/** What the test expects of one payment, from the state machine alone. */
interface Expected {
  payment: Payment;
  status: PaymentStatus;
  refunded: number;
  sent: SandboxEvent[];
}

const rank: Record<PaymentStatus, number> = {
  pending: 0,
  processing: 1,
  succeeded: 2,
  failed: 2,
  canceled: 2,
  partially_refunded: 3,
  refunded: 4,
};

/** Events that announce a new status (the others leave it as it was). */
const changesStatus = new Set([
  "payment.processing",
  "payment.succeeded",
  "payment.failed",
  "payment.canceled",
  "payment.refunded",
]);

describe("payments under random histories (property)", () => {
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    // The sandbox does not settle by itself here: the property plays the provider.
    app = await createPaymentsTestApp({ SANDBOX_SETTLE_DELAY_MS: "3600000" });
    ({ token } = await app.signup());
  });
  afterAll(async () => {
    await app?.close();
  });

  it("keeps the ledger balanced and every payment legal", async () => {
    const caller = app.caller({ token });
    const sandbox = sandboxOf(app);
    const db = app.gantry.deps.database.db;

    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 20 }), async (commands) => {
        const made: Expected[] = [];
        for (const step of commands) {
          if (step.kind === "create") {
            const payment = await caller.payments.create({
              amount: step.amount,
              currency: step.currency,
              paymentMethod: "pm_card_visa",
              idempotencyKey: newKey(),
            });
            made.push({ payment, status: "processing", refunded: 0, sent: [] });
            continue;
          }
          const target = made[step.target % Math.max(1, made.length)];
          if (!target) continue;

          if (step.kind === "webhook" || step.kind === "replay") {
            const replayed =
              step.kind === "replay" ? target.sent[step.which % Math.max(1, target.sent.length)] : undefined;
            if (step.kind === "replay" && !replayed) continue;
            const body = replayed ?? {
              id: `evt_${newKey()}`,
              type: `payment.${(step as { status: SettlementStatus }).status}`,
              created: Math.floor(Date.now() / 1000),
              data: {
                paymentId: target.payment.id,
                providerPaymentId: target.payment.providerPaymentId ?? undefined,
                amount: target.payment.amount,
                currency: target.payment.currency,
              },
            };
            const outcome = await app.gantry.deps.payments.receiveWebhook(
              "sandbox",
              sandbox.signedWebhook(body, new Date()),
            );
            if (replayed) {
              expect(outcome).toBe("duplicate");
            } else {
              target.sent.push(body);
              const wanted = (step as { status: SettlementStatus }).status;
              const path = pathTo(target.status, wanted);
              expect(outcome).toBe(path && path.length > 0 ? "applied" : "stale");
              if (path && path.length > 0) target.status = wanted;
            }
            continue;
          }

          const remaining = target.payment.amount - target.refunded;
          const captured = target.status === "succeeded" || target.status === "partially_refunded";
          const amount = step.amount ?? remaining;
          const code = await codeOf(
            caller.payments.refund({
              paymentId: target.payment.id,
              ...(step.amount === null ? {} : { amount: step.amount }),
              idempotencyKey: newKey(),
            }),
          );
          if (captured && amount <= remaining && remaining > 0) {
            expect(code).toBe("OK");
            target.refunded += amount;
            target.status = statusAfterRefund(target.payment.amount, target.refunded);
          } else {
            expect(code).toBe("CONFLICT");
          }
        }

        // The books balance: every transaction sums to zero in each currency.
        expect(await new LedgerRepository().unbalancedTransactions(db)).toEqual([]);

        for (const expected of made) {
          const actual = await caller.payments.byId({ id: expected.payment.id });
          expect(actual.status).toBe(expected.status);
          expect(actual.refundedAmount).toBe(expected.refunded);

          // Money booked exactly once: the capture if (and only if) it was captured, each refund once.
          const captured = ["succeeded", "partially_refunded", "refunded"].includes(actual.status);
          const entries = await ledgerFor(app, actual.id);
          const sum = (account: string) =>
            entries.filter((e) => e.account === account).reduce((s, e) => s + e.amount, 0);
          expect(sum("sales")).toBe(captured ? -actual.amount : 0);
          expect(sum("refunds")).toBe(actual.refundedAmount);
          expect(sum("provider_balance:sandbox")).toBe((captured ? actual.amount : 0) - actual.refundedAmount);
          const refunds = await db.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, actual.id));
          expect(refunds.filter((r) => r.status === "succeeded").reduce((s, r) => s + r.amount, 0)).toBe(
            actual.refundedAmount,
          );

          // The statuses its events announced form a legal walk from pending. Statuses only move
          // forward, so ordering them by rank recovers the order they happened in.
          const walked = (await eventsFor(app, actual.id))
            .filter((event) => changesStatus.has(event.type))
            .map((event) => event.status as PaymentStatus)
            .sort((a, b) => rank[a] - rank[b]);
          let at: PaymentStatus = "pending";
          for (const next of walked) {
            expect(canTransition(at, next), `${at} -> ${next}`).toBe(true);
            at = next;
          }
          expect(at).toBe(actual.status);
        }
      }),
      { numRuns: 60 },
    );
  });
});
