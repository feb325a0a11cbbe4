import type { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { PaymentDetail } from "../../shared/schemas/payments.js";
import { DomainError } from "../services/errors.js";
import type { TestApp } from "../testing/app.js";
import {
  codeOf,
  createPaymentsTestApp,
  errorOf,
  eventTypesFor,
  ledgerFor,
  newKey,
  paymentFootprint,
  quiet,
  sandboxOf,
  sleep,
  waitFor,
} from "../testing/payments.js";

/**
 * Paying through the sandbox as a user would: the answer comes back "processing", the outcome
 * arrives later through the signed webhook, and a live subscription shows each step.
 */
type CreateInput = Parameters<ReturnType<TestApp["caller"]>["payments"]["create"]>[0];

/** The input field a BAD_REQUEST names, from zod's issues or the service's field errors. */
function fieldOf(error: TRPCError): string | undefined {
  if (error.cause instanceof ZodError) return String(error.cause.issues[0]?.path[0]);
  if (error.cause instanceof DomainError) return Object.keys(error.cause.details.fieldErrors ?? {})[0];
  return undefined;
}

describe("payments", () => {
  let app: TestApp;
  let token: string;
  const caller = () => app.caller({ token });
  const pay = (paymentMethod: string, extra: { amount?: number; currency?: string } = {}) =>
    caller().payments.create({
      amount: extra.amount ?? 1250,
      currency: extra.currency ?? "USD",
      paymentMethod,
      idempotencyKey: newKey(),
    });
  const settled = (id: string) =>
    waitFor(async () => {
      const payment = await caller().payments.byId({ id });
      return payment.status !== "pending" && payment.status !== "processing" ? payment : undefined;
    }, `payment ${id} to settle`);

  beforeAll(async () => {
    app = await createPaymentsTestApp({ PAYMENT_MAX_AMOUNT: "1000000" });
    ({ token } = await app.signup());
  });
  afterAll(async () => {
    await app?.close();
  });

  it("lists the sandbox with its test cards, currencies and the amount limit", async () => {
    const info = await caller().payments.providers();
    expect(info.defaultProvider).toBe("sandbox");
    expect(info.maxAmount).toBe(1_000_000);
    const sandbox = info.providers.find((p) => p.id === "sandbox");
    expect(sandbox?.testPaymentMethods.map((m) => m.id)).toEqual(
      expect.arrayContaining([
        "pm_card_visa",
        "pm_card_chargeDeclined",
        "pm_card_insufficientFunds",
        "pm_card_delayed",
      ]),
    );
    expect(sandbox?.currencies).toEqual(expect.arrayContaining(["USD", "JPY", "KWD"]));
    expect(info.providers.some((p) => p.id === "stripe")).toBe(false);
  });

  it("answers processing at once, then succeeds through the signed webhook and books the capture", async () => {
    const created = await pay("pm_card_visa", { amount: 4200, currency: "eur" });
    expect(created).toMatchObject({ status: "processing", amount: 4200, currency: "EUR", provider: "sandbox" });
    expect(created.providerPaymentId).toMatch(/^pi_sbx_/);

    const done = await settled(created.id);
    expect(done.status).toBe("succeeded");
    expect(done.refundableAmount).toBe(4200);
    expect(await eventTypesFor(app, created.id)).toEqual([
      "payment.created",
      "payment.processing",
      "payment.succeeded",
    ]);
    const entries = await ledgerFor(app, created.id);
    expect(entries.map((e) => [e.account, e.amount, e.currency]).sort()).toEqual([
      ["provider_balance:sandbox", 4200, "EUR"],
      ["sales", -4200, "EUR"],
    ]);
  });

  it("streams the status live: the current state first, then each change", async () => {
    const created = await pay("pm_card_visa");
    const seen: PaymentDetail["status"][] = [];
    const stream = await caller().payments.onPayment({ paymentId: created.id });
    for await (const payment of stream) {
      seen.push(payment.status);
      if (payment.status === "succeeded") break;
    }
    expect(seen[0]).toMatch(/processing|succeeded/);
    expect(seen.at(-1)).toBe("succeeded");
  });

  it.each([
    ["pm_card_chargeDeclined", "card_declined", "Your card was declined."],
    ["pm_card_insufficientFunds", "insufficient_funds", "Your card has insufficient funds."],
  ])("fails %s with its reason and books nothing", async (method, code, message) => {
    const created = await pay(method);
    expect(created.status).toBe("processing");
    const done = await settled(created.id);
    expect(done).toMatchObject({ status: "failed", failure: { code, message }, refundableAmount: 0 });
    expect(await ledgerFor(app, created.id)).toEqual([]);
    expect(await eventTypesFor(app, created.id)).toEqual(["payment.created", "payment.processing", "payment.failed"]);
  });

  it("settles pm_card_delayed only after a few seconds", async () => {
    const created = await pay("pm_card_delayed");
    // Well past the normal settle delay, still processing.
    await sleep(400);
    expect((await caller().payments.byId({ id: created.id })).status).toBe("processing");
    expect((await settled(created.id)).status).toBe("succeeded");
  });

  it("refuses bad money, unknown methods and unknown providers with BAD_REQUEST, writing nothing", async () => {
    await quiet(app);
    const before = await paymentFootprint(app);
    const chargesBefore = sandboxOf(app).stats().chargeCalls;
    const attempts: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ amount: 0 }, "amount", /greater than zero/],
      [{ amount: -5 }, "amount", /greater than zero/],
      [{ amount: 12.5 }, "amount", /whole number of minor units/],
      [{ currency: "XXX" }, "currency", /Unsupported currency/],
      [{ currency: "dollars" }, "currency", /Unsupported currency/],
      [{ amount: 1_000_001 }, "amount", /above the limit.*\$10,000\.00/],
      [{ paymentMethod: "pm_card_unknown" }, "paymentMethod", /Unknown payment method "pm_card_unknown"/],
      [{ provider: "paypal" }, "provider", /Unknown payment provider "paypal"/],
      [{ provider: "stripe" }, "provider", /Unknown payment provider "stripe"/],
    ];
    for (const [override, field, message] of attempts) {
      const input = {
        amount: 100,
        currency: "USD",
        paymentMethod: "pm_card_visa",
        idempotencyKey: newKey(),
        ...override,
      };
      // The typed caller refuses some of these at compile time; a client on the wire cannot be stopped that way.
      const error = await errorOf(caller().payments.create(input as CreateInput));
      expect(error.code, JSON.stringify(override)).toBe("BAD_REQUEST");
      expect(error.message, JSON.stringify(override)).toMatch(message);
      expect(fieldOf(error), JSON.stringify(override)).toBe(field);
    }
    expect(await paymentFootprint(app)).toEqual(before);
    expect(sandboxOf(app).stats().chargeCalls).toBe(chargesBefore);
  });

  it("knows each currency's decimals: 1500 JPY is ¥1,500 and the limit message says so", async () => {
    const created = await pay("pm_card_visa", { amount: 1500, currency: "JPY" });
    expect(created).toMatchObject({ amount: 1500, currency: "JPY" });
    const tooMuch = await errorOf(pay("pm_card_visa", { amount: 2_000_000, currency: "KWD" }));
    expect(tooMuch.message).toContain("KWD");
    expect(tooMuch.message).toContain("1,000.000");
    expect(tooMuch.code).toBe("BAD_REQUEST");
  });

  it("keeps guests from paying and strangers out", async () => {
    expect(await codeOf(app.caller().payments.providers())).toBe("UNAUTHORIZED");
    expect(
      await codeOf(
        app
          .caller()
          .payments.create({ amount: 1, currency: "USD", paymentMethod: "pm_card_visa", idempotencyKey: newKey() }),
      ),
    ).toBe("UNAUTHORIZED");
    // Ledger is for admins.
    expect(await codeOf(caller().payments.ledger({}))).toBe("FORBIDDEN");
  });
});
