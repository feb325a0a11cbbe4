import { type Channel, type ChannelModel, connect } from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EventEnvelope, parseEnvelope } from "../../shared/events.js";
import { rabbitNames } from "../core/events/rabbitmq-transport.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { ADMIN, adminToken, codeOf, newKey, waitFor } from "../testing/payments.js";
import { testServiceUrls } from "../testing/services.js";

/**
 * Payments on the real services: PostgreSQL, BullMQ on Redis (the sandbox's settlement job),
 * RabbitMQ (events leave through the outbox relay) and the audit log consumer.
 */
describe("payments on PostgreSQL, Redis and RabbitMQ", () => {
  let app: TestApp;
  let rabbit: ChannelModel;
  let channel: Channel;
  const received: EventEnvelope[] = [];

  beforeAll(async () => {
    app = await createTestApp("services", {
      SANDBOX_SETTLE_DELAY_MS: "50",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    // A queue of our own on the app's exchange sees exactly what consumers would.
    rabbit = await connect(testServiceUrls.amqp);
    channel = await rabbit.createChannel();
    const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, rabbitNames(app.gantry.deps.config.namespace).exchange, "payment.#");
    await channel.consume(
      queue,
      (message) => {
        if (message) received.push(parseEnvelope(JSON.parse(message.content.toString("utf8"))));
      },
      { noAck: true },
    );
  });
  afterAll(async () => {
    await rabbit?.close().catch(() => {});
    await app?.close();
  });

  it("settles through BullMQ and publishes every transition to RabbitMQ and the audit log", async () => {
    const { token, userId } = await app.signup();
    const caller = app.caller({ token });
    const created = await caller.payments.create({
      amount: 1234,
      currency: "USD",
      paymentMethod: "pm_card_visa",
      idempotencyKey: newKey(),
    });
    await waitFor(async () => (await caller.payments.byId({ id: created.id })).status === "succeeded", "settlement");
    const refund = await caller.payments.refund({ paymentId: created.id, amount: 234, idempotencyKey: newKey() });
    expect(refund.payment.status).toBe("partially_refunded");

    const expected = [
      "payment.created",
      "payment.processing",
      "payment.succeeded",
      "payment.refund_requested",
      "payment.refunded",
    ];
    const onWire = await waitFor(async () => {
      const mine = received.filter((e) => (e.payload as { paymentId?: string }).paymentId === created.id);
      return mine.length >= expected.length ? mine : undefined;
    }, "payment events on RabbitMQ");
    expect(onWire.map((e) => e.type).sort()).toEqual([...expected].sort());
    const succeeded = onWire.find((e) => e.type === "payment.succeeded");
    expect(succeeded?.payload).toMatchObject({ paymentId: created.id, userId, amount: 1234, currency: "USD" });
    expect(succeeded?.actor).toEqual({ kind: "system", id: "provider:sandbox" });
    expect(onWire.find((e) => e.type === "payment.created")?.actor).toEqual({ kind: "user", id: userId });

    const adminCaller = app.caller({ token: await adminToken(app) });
    const audited = await waitFor(async () => {
      const page = await adminCaller.audit.list({
        pageSize: 100,
        filter: [{ field: "type", op: "contains", value: "payment." }],
      });
      const mine = page.items.filter((entry) => (entry.payload as { paymentId?: string }).paymentId === created.id);
      return mine.length >= expected.length ? mine : undefined;
    }, "payment events in the audit log");
    expect(audited.map((entry) => entry.type).sort()).toEqual([...expected].sort());
  });

  it("holds the idempotency and refund limits across PostgreSQL connections", async () => {
    const { token } = await app.signup();
    const caller = app.caller({ token });
    const key = newKey();
    const input = { amount: 1000, currency: "USD", paymentMethod: "pm_card_visa", idempotencyKey: key };
    const answers = await Promise.all(Array.from({ length: 20 }, () => caller.payments.create(input)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    const id = answers[0]?.id ?? "";
    await waitFor(async () => (await caller.payments.byId({ id })).status === "succeeded", "settlement");

    // Row locks, not luck: of six racing refunds of 400, exactly two fit into 1000.
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        codeOf(caller.payments.refund({ paymentId: id, amount: 400, idempotencyKey: newKey() })),
      ),
    );
    expect(outcomes.filter((o) => o === "OK")).toHaveLength(2);
    expect(outcomes.filter((o) => o === "CONFLICT")).toHaveLength(4);
    expect((await caller.payments.byId({ id })).refundedAmount).toBe(800);
  });
});

describe("refunds racing their own webhooks", () => {
  let app: TestApp;
  // The sandbox's webhook then arrives while the refund's own booking transaction runs.
  beforeAll(async () => {
    app = await createTestApp("services", { SANDBOX_SETTLE_DELAY_MS: "0" });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers every one of many concurrent refunds of one payment, with no deadlock against its webhooks", async () => {
    const { token } = await app.signup();
    const caller = app.caller({ token });
    const created = await caller.payments.create({
      amount: 4000,
      currency: "USD",
      paymentMethod: "pm_card_visa",
      idempotencyKey: newKey(),
    });
    await waitFor(async () => (await caller.payments.byId({ id: created.id })).status === "succeeded", "settlement");
    // Each refund's own booking races the sandbox's webhook for the refunds before it.
    const codes = await Promise.all(
      Array.from({ length: 40 }, () =>
        caller.payments.refund({ paymentId: created.id, amount: 100, idempotencyKey: newKey() }).then(
          () => "OK",
          (error: unknown) => codeOf(Promise.reject(error)),
        ),
      ),
    );
    expect(codes.filter((code) => code !== "OK" && code !== "CONFLICT")).toEqual([]);
    await waitFor(async () => (await caller.payments.byId({ id: created.id })).status === "refunded", "refunds");
  }, 60_000);
});
