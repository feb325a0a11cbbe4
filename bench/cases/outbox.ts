/**
 * Confirmed event throughput through the outbox: N events committed in one transaction, timed
 * until the relay has published every one to RabbitMQ with publisher confirms and stamped it
 * (backlog 0), against amqplib publishing the same envelopes on a confirm channel to a topic
 * exchange with one bound queue and waiting for the confirms. Aim: at least 0.5× the raw rate.
 */
import amqp from "amqplib";
import { createTestApp } from "../../src/server/testing/app.js";
import { testServiceUrls, uniqueName } from "../../src/server/testing/services.js";
import type { BenchCase } from "../case.js";
import { atLeast, perSecond } from "../harness/format.js";
import { log } from "../harness/rounds.js";
import { median } from "../report.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);

const benchCase: BenchCase = {
  name: "outbox",
  quick: false,
  async run() {
    const rounds = 3;
    const app = await createTestApp("services");
    const { deps } = app.gantry;
    const connection = await amqp.connect(testServiceUrls.amqp);
    const channel = await connection.createConfirmChannel();
    const exchange = uniqueName("bench_raw");
    await channel.assertExchange(exchange, "topic", { durable: true });
    const queue = (await channel.assertQueue("", { exclusive: true, durable: false })).queue;
    await channel.bindQueue(queue, exchange, "#");
    try {
      const relay: number[] = [];
      const raw: number[] = [];
      for (let round = 1; round <= rounds; round++) {
        await deps.database.db.transaction(async (tx) => {
          for (let i = 0; i < EVENTS; i++) {
            await deps.events.publish(
              tx,
              "error.occurred",
              { where: "bench", message: `event ${i}` },
              { kind: "anonymous" },
            );
          }
        });
        const started = performance.now();
        while ((await deps.events.backlog()) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
        relay.push(EVENTS / ((performance.now() - started) / 1000));

        const envelope = (i: number) =>
          Buffer.from(
            JSON.stringify({
              id: crypto.randomUUID(),
              type: "error.occurred",
              occurredAt: new Date().toISOString(),
              actor: { kind: "anonymous" },
              payload: { where: "bench", message: `event ${i}` },
            }),
          );
        const rawStarted = performance.now();
        for (let i = 0; i < EVENTS; i++) {
          channel.publish(exchange, "error.occurred", envelope(i), {
            persistent: true,
            contentType: "application/json",
          });
        }
        await channel.waitForConfirms();
        raw.push(EVENTS / ((performance.now() - rawStarted) / 1000));
        await channel.purgeQueue(queue);
        log(`outbox round ${round}: relay ${Math.round(relay.at(-1) ?? 0)}/s, raw ${Math.round(raw.at(-1) ?? 0)}/s`);
      }
      const ratio = median(relay) / median(raw);
      return [
        {
          what: `confirmed events through the outbox relay vs raw amqplib confirms (${EVENTS} a round)`,
          gantry: perSecond(median(relay), "events/s"),
          baseline: perSecond(median(raw), "events/s"),
          ratio,
          ...atLeast(ratio, 0.5),
        },
      ];
    } finally {
      await channel.deleteExchange(exchange).catch(() => {});
      await connection.close().catch(() => {});
      await app.close();
    }
  },
};
export default benchCase;
