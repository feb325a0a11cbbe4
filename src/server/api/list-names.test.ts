import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../testing/app.js";
import { adminToken, createPaymentsTestApp, newKey, waitFor } from "../testing/payments.js";

/** Lists name who and what (issue 12, item 4): payer, ledger payer, audit actor; ids stay beside them. */
describe("names in lists", () => {
  let app: TestApp;
  let alice: { token: string; userId: string; email: string };
  let admin: string;
  const as = (token: string) => app.caller({ token });

  beforeAll(async () => {
    app = await createPaymentsTestApp();
    alice = await app.signup({ name: "Alice Payer" });
    admin = await adminToken(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("gives each payment its payer's name and email, the ledger its payer, the audit log its actor", async () => {
    const created = await as(alice.token).payments.create({
      amount: 1250,
      currency: "USD",
      paymentMethod: "pm_card_visa",
      description: "Coffee",
      idempotencyKey: newKey(),
    });
    await waitFor(async () => {
      const payment = await as(alice.token).payments.byId({ id: created.id });
      return payment.status === "succeeded" ? payment : undefined;
    }, "the payment to succeed");

    const payments = await as(admin).payments.list({});
    const listed = payments.items.find((payment) => payment.id === created.id);
    expect(listed?.owner).toEqual({ id: alice.userId, name: "Alice Payer", email: alice.email });

    const ledger = await as(admin).payments.ledger({ filter: [{ field: "paymentId", op: "eq", value: created.id }] });
    expect(ledger.entries.items.length).toBeGreaterThan(0);
    for (const entry of ledger.entries.items) {
      expect(entry.payer?.name).toBe("Alice Payer");
      expect(entry.paymentDescription).toBe("Coffee");
    }

    const audit = await waitFor(async () => {
      const page = await as(admin).audit.list({ filter: [{ field: "actorId", op: "eq", value: alice.userId }] });
      return page.items.length > 0 ? page : undefined;
    }, "alice's audit entries");
    expect(audit.items[0]?.actor).toEqual({ id: alice.userId, name: "Alice Payer", email: alice.email });
  });
});
