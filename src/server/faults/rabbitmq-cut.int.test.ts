import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../testing/app.js";
import { allHold, checkInvariants, formatInvariants } from "../testing/invariants.js";
import { newKey, sleep, waitFor } from "../testing/payments.js";
import { testServiceUrls } from "../testing/services.js";
import { TcpProxy, viaProxy } from "../testing/tcp-proxy.js";

/**
 * RabbitMQ goes away for ten seconds while users keep signing up, paying and refunding. The
 * API must not notice (events wait in the outbox), and once the broker is back every event
 * reaches the audit log once: none lost, none twice.
 */
const CUT_MS = 10_000;
const ADMIN = { email: "admin@rabbit-cut.test", password: "admin passphrase for the cut" };

interface Journey {
  userId?: string;
  paymentId?: string;
  refundId?: string;
  failed?: string;
}

describe("RabbitMQ cut during a stream of sign-ups, payments and refunds", () => {
  let app: TestApp;
  let proxy: TcpProxy;
  let sql: postgres.Sql;

  beforeAll(async () => {
    proxy = new TcpProxy("127.0.0.1", Number(new URL(testServiceUrls.amqp).port || 5672));
    const port = await proxy.start();
    app = await createTestApp("services", {
      AMQP_URL: viaProxy(testServiceUrls.amqp, port),
      SANDBOX_SETTLE_DELAY_MS: "30",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    sql = postgres(app.gantry.deps.config.databaseUrl ?? "", { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
    await app?.close();
    await proxy?.stop();
  });

  /** One user's visit: sign up, pay, wait for the money, get a third back. */
  async function journey(): Promise<Journey> {
    const done: Journey = {};
    try {
      const { token, userId } = await app.signup();
      done.userId = userId;
      const caller = app.caller({ token });
      const payment = await caller.payments.create({
        amount: 900,
        currency: "USD",
        paymentMethod: "pm_card_visa",
        idempotencyKey: newKey(),
      });
      done.paymentId = payment.id;
      await waitFor(async () => (await caller.payments.byId({ id: payment.id })).status === "succeeded", "settlement");
      const refund = await caller.payments.refund({ paymentId: payment.id, amount: 300, idempotencyKey: newKey() });
      done.refundId = refund.refund.id;
    } catch (error) {
      done.failed = String(error);
    }
    return done;
  }

  it("answers every call while the broker is away, and audits every event exactly once after", async () => {
    const pending = async () =>
      (await sql<[{ n: number }]>`select count(*)::int as n from outbox where published_at is null`)[0].n;
    const journeys: Array<Promise<Journey>> = [];
    const stream = setInterval(() => journeys.push(journey()), 250);
    let heldBack = 0;
    try {
      await sleep(1500);
      proxy.cut();
      await sleep(CUT_MS);
      // The cut really kept events from the broker (else this test proves nothing).
      heldBack = await pending();
      proxy.restore();
      await sleep(1500);
    } finally {
      clearInterval(stream);
    }
    const results = await Promise.all(journeys);
    expect(heldBack).toBeGreaterThan(10);
    expect(results.filter((j) => j.failed)).toEqual([]);
    expect(results.length).toBeGreaterThan(20);

    const invariants = await checkInvariants(app.gantry.deps.config.databaseUrl ?? "", { drainTimeoutMs: 30_000 });
    expect(allHold(invariants), formatInvariants(invariants)).toBe(true);

    // What users did is what the audit log says, once each.
    const audited = await sql<Array<{ type: string; key: string; n: number }>>`
      select type, coalesce(payload->>'refundId', payload->>'paymentId', payload->>'userId') as key,
        count(*)::int as n
      from audit_log where type in ('user.registered', 'payment.created', 'payment.succeeded', 'payment.refunded')
      group by 1, 2`;
    const count = (type: string, key: string | undefined) =>
      audited.find((row) => row.type === type && row.key === key)?.n ?? 0;
    for (const j of results) {
      expect(count("user.registered", j.userId), j.userId).toBe(1);
      expect(count("payment.created", j.paymentId), j.paymentId).toBe(1);
      expect(count("payment.succeeded", j.paymentId), j.paymentId).toBe(1);
      expect(count("payment.refunded", j.refundId), j.refundId).toBe(1);
    }
  }, 60_000);
});
