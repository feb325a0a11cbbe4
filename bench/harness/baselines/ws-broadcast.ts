/**
 * Baseline: a raw `ws` server sending every connected client the time once a second, in the
 * shape Gantry's system.ticks sends it (a tRPC result frame with a superjson Date), with
 * nothing per subscriber but the socket.
 */
import { createServer } from "node:http";
import { WebSocketServer } from "ws";

const http = createServer((request, response) => {
  response.writeHead(request.url === "/ready" ? 200 : 404).end();
});
const wss = new WebSocketServer({ server: http, path: "/trpc" });
setInterval(() => {
  const frame = JSON.stringify({
    id: 1,
    result: {
      type: "data",
      data: { json: { now: new Date().toISOString() }, meta: { values: { now: ["Date"] }, v: 1 } },
    },
  });
  for (const client of wss.clients) client.send(frame);
}, 1000);
process.once("SIGTERM", () => process.exit(0));
http.listen(Number(process.env.PORT), process.env.HOST);
