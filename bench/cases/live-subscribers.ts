/**
 * 1,000 WebSocket subscribers to one live procedure (system.ticks, the server's clock once a
 * second each) against a raw `ws` server broadcasting the same frame to as many sockets: the
 * server's CPU per message delivered and its memory with every subscriber connected.
 */
import WebSocket from "ws";
import type { BenchCase, BenchRow } from "../case.js";
import { atMost, megabytes, micros, perSecond } from "../harness/format.js";
import { startGantry } from "../harness/gantry.js";
import { log } from "../harness/rounds.js";
import { type BenchServer, startServer } from "../harness/server.js";

const SUBSCRIBERS = 1000;

const benchCase: BenchCase = {
  name: "live-subscribers",
  quick: false,
  async run() {
    const seconds = 10;
    const gantry = await startGantry({ WS_MAX_CONNECTIONS_PER_ADDRESS: String(SUBSCRIBERS * 2) });
    const raw = await startServer("raw ws", "bench/harness/baselines/ws-broadcast.ts", {}).catch(
      async (error: unknown) => {
        await gantry.close();
        throw error;
      },
    );
    try {
      const ours = await measure(gantry.server, seconds, true);
      const theirs = await measure(raw, seconds, false);
      log(`live: Gantry ${JSON.stringify(ours)}, raw ws ${JSON.stringify(theirs)}`);
      const cpu = ours.cpuPerMessage / theirs.cpuPerMessage;
      const rows: BenchRow[] = [
        {
          what: `${SUBSCRIBERS} WS subscribers to system.ticks vs raw ws broadcast (CPU per message)`,
          gantry: `${perSecond(ours.messagesPerSecond, "msg/s")}, ${micros(ours.cpuPerMessage)}`,
          baseline: `${perSecond(theirs.messagesPerSecond, "msg/s")}, ${micros(theirs.cpuPerMessage)}`,
          ratio: cpu,
          ...atMost(cpu, 3),
        },
        {
          what: `  server memory with ${SUBSCRIBERS} subscribers`,
          gantry: megabytes(ours.rss),
          baseline: megabytes(theirs.rss),
          ratio: ours.rss / theirs.rss,
          aim: "measure",
        },
      ];
      return rows;
    } finally {
      await raw.stop();
      await gantry.close();
    }
  },
};
export default benchCase;

/** Connects the subscribers, counts what they receive for `seconds`, and the server's CPU meanwhile. */
async function measure(server: BenchServer, seconds: number, trpc: boolean) {
  const url = `${server.url.replace("http", "ws")}/trpc`;
  let received = 0;
  const sockets = await Promise.all(
    Array.from({ length: SUBSCRIBERS }, async () => {
      const socket = new WebSocket(url, { origin: server.url });
      await new Promise<void>((resolve, reject) => {
        socket.once("open", () => resolve());
        socket.once("error", reject);
      });
      socket.on("message", (data: Buffer) => {
        if (data.includes('"type":"data"')) received += 1;
      });
      if (trpc) {
        socket.send(
          JSON.stringify({ id: 1, method: "subscription", params: { path: "system.ticks", input: { json: null } } }),
        );
      }
      return socket;
    }),
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const before = { received, cpu: await server.cpuMicros() };
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const messages = received - before.received;
    const cpu = (await server.cpuMicros()) - before.cpu;
    if (messages === 0) throw new Error(`${server.name}: no subscriber received anything`);
    return { messagesPerSecond: messages / seconds, cpuPerMessage: cpu / messages, rss: await server.rss() };
  } finally {
    for (const socket of sockets) socket.terminate();
  }
}
