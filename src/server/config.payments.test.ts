import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

/** The payment settings: sandbox by default, Stripe by its two secrets, one amount limit. */
describe("payments config", () => {
  const production = {
    NODE_ENV: "production",
    DATABASE_URL: "postgres://db/gantry",
    REDIS_URL: "redis://cache",
    AMQP_URL: "amqp://broker",
    JWT_SECRET: "x".repeat(40),
    SMTP_URL: "smtp://mail",
  };

  it("runs the sandbox by default, with Stripe's amount limit", () => {
    expect(loadConfig({}).payments).toEqual({
      maxAmount: 99_999_999,
      defaultProvider: "sandbox",
      sandbox: { webhookSecret: undefined, settleDelayMs: 500, delayedSettleMs: 5000 },
      stripe: undefined,
    });
    expect(loadConfig({ PAYMENT_MAX_AMOUNT: "5000" }).payments.maxAmount).toBe(5000);
    expect(() => loadConfig({ PAYMENT_MAX_AMOUNT: "0" })).toThrow(/^PAYMENT_MAX_AMOUNT:/);
  });

  it("keeps the sandbox out of production unless asked for", () => {
    expect(loadConfig(production).payments).toMatchObject({ sandbox: undefined, defaultProvider: undefined });
    expect(loadConfig({ ...production, SANDBOX_PAYMENTS: "true" }).payments.defaultProvider).toBe("sandbox");
  });

  it("enables Stripe only with both secrets, and points it wherever STRIPE_API_BASE says", () => {
    const stripe = loadConfig({
      STRIPE_SECRET_KEY: "sk_test_123456",
      STRIPE_WEBHOOK_SECRET: "whsec_123456",
      STRIPE_API_BASE: "http://127.0.0.1:12111",
      PAYMENT_DEFAULT_PROVIDER: "stripe",
    }).payments;
    expect(stripe.stripe).toEqual({
      secretKey: "sk_test_123456",
      webhookSecret: "whsec_123456",
      apiBase: "http://127.0.0.1:12111",
    });
    expect(stripe.defaultProvider).toBe("stripe");
    expect(() => loadConfig({ STRIPE_SECRET_KEY: "sk_test_123456" })).toThrow(/^STRIPE_WEBHOOK_SECRET: set/);
    expect(() => loadConfig({ STRIPE_WEBHOOK_SECRET: "whsec_123456" })).toThrow(ConfigError);
    expect(() => loadConfig({ STRIPE_API_BASE: "ftp://stripe" })).toThrow(/^STRIPE_API_BASE:/);
    expect(() => loadConfig({ PAYMENT_DEFAULT_PROVIDER: "stripe" })).toThrow(
      /^PAYMENT_DEFAULT_PROVIDER: "stripe" is not enabled/,
    );
  });
});
