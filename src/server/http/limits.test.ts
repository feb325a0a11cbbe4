import { readdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createTRPCClient, createWSClient, httpBatchLink, wsLink } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { BATCH_LIMITS } from "../../shared/batch-limits.js";
import { createLogger } from "../core/logger.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import type { AppRouter } from "../trpc/router.js";

/** What one client can hold open, and what reaches the logs (embedded app, tight limits). */
describe("HTTP and WebSocket limits", () => {
  let app: TestApp;
  let port: number;
  let logged = "";
  const clients: Array<ReturnType<typeof createWSClient>> = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    app = await createTestApp(
      "embedded",
      {
        HTTP_IDLE_TIMEOUT_MS: "1500",
        UPLOAD_IDLE_TIMEOUT_MS: "400",
        WS_MAX_SUBSCRIPTIONS: "3",
        WS_MAX_CONNECTIONS_PER_ADDRESS: "3",
      },
      { logger: createLogger({ logLevel: "info", env: "test" }, sink) },
    );
    const http = app.gantry.http;
    if (!http) throw new Error("no http server");
    port = (http.server.address() as AddressInfo).port;
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) await client.close();
    await app?.close();
  });

  /** A raw connection, so the test can stall or trickle where fetch would not. */
  function rawConnection(): { socket: Socket; received: () => string; closed: Promise<void> } {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString();
    });
    socket.on("error", () => {});
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    return { socket, received: () => received, closed };
  }

  const within = <T>(promise: Promise<T>, ms: number, what: string) =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} still open after ${ms} ms`)), ms)),
    ]);

  it("closes a /trpc POST whose body never arrives (HTTP_IDLE_TIMEOUT_MS)", async () => {
    const { socket, closed } = rawConnection();
    socket.write(
      "POST /trpc/auth.login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{",
    );
    await within(closed, 8000, "the stalled POST");
  });

  it("ends an upload that stops sending with 408 and removes its file (UPLOAD_IDLE_TIMEOUT_MS)", async () => {
    const { token } = await app.signup();
    const { socket, received, closed } = rawConnection();
    socket.write(
      `POST /api/datasets?name=slow HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
        "Content-Type: text/csv\r\nContent-Length: 100000\r\n\r\na,b\n",
    );
    // Trickling is fine while bytes keep coming...
    for (let i = 0; i < 5; i += 1) {
      await new Promise((r) => setTimeout(r, 150));
      socket.write(`${i},${i}\n`);
    }
    // ...until the client goes quiet.
    await within(closed, 8000, "the stalled upload");
    expect(received()).toMatch(/^HTTP\/1\.1 408/);
    const body = JSON.parse(bodyOf(received()));
    expect(body.error.code).toBe("UPLOAD_STALLED");
    expect(body.error.message).toContain("UPLOAD_IDLE_TIMEOUT_MS");
    const uploads = join(app.gantry.deps.config.dataDir, "uploads");
    expect(await readdir(uploads).catch(() => [])).toEqual([]);
  });

  function wsClient() {
    const client = createWSClient({ url: `ws://127.0.0.1:${port}/trpc`, WebSocket: NodeWebSocket as never });
    clients.push(client);
    return createTRPCClient<AppRouter>({ links: [wsLink({ client, transformer: superjson })] });
  }

  it("refuses the subscription past WS_MAX_SUBSCRIPTIONS on one socket, and frees places that end", async () => {
    const client = wsClient();
    const started = (onError?: (error: unknown) => void) =>
      new Promise<{ unsubscribe(): void }>((resolve, reject) => {
        const subscription = client.system.onTick.subscribe(undefined, {
          onData: () => resolve(subscription),
          onError: (error) => {
            onError?.(error);
            reject(error);
          },
        });
      });
    const open = [await started(), await started(), await started()];
    const refused = await started().catch((error: unknown) => error);
    expect(refused).toMatchObject({ data: { code: "TOO_MANY_REQUESTS" } });
    expect((refused as Error).message).toContain("WS_MAX_SUBSCRIPTIONS=3");

    open[0]?.unsubscribe();
    await new Promise((r) => setTimeout(r, 200));
    const again = await started();
    again.unsubscribe();
    for (const subscription of open) subscription.unsubscribe();
  });

  it("refuses WebSockets past WS_MAX_CONNECTIONS_PER_ADDRESS from one address", async () => {
    const sockets: NodeWebSocket[] = [];
    const open = () =>
      new Promise<number>((resolve) => {
        const socket = new NodeWebSocket(`ws://127.0.0.1:${port}/trpc`);
        sockets.push(socket);
        socket.once("open", () => resolve(101));
        socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        socket.once("error", () => resolve(0));
      });
    try {
      // The subscription test's client may still be connected: count what this address holds.
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push(await open());
      expect(statuses).toContain(429);
      expect(statuses.filter((s) => s === 101).length).toBeLessThanOrEqual(3);
    } finally {
      for (const socket of sockets) socket.terminate();
    }
  });

  it("keeps credentials in query strings and headers out of the request log", async () => {
    const secret = "s3cret-token-value";
    await fetch(`http://127.0.0.1:${port}/healthz?token=${secret}&x=1`, {
      headers: { authorization: `Bearer ${secret}`, cookie: `gantry_session=${secret}` },
    });
    // A WebSocket client that puts its connection params in the URL, seen on a plain GET.
    const params = encodeURIComponent(JSON.stringify({ token: secret }));
    await fetch(`http://127.0.0.1:${port}/trpc?connectionParams=${params}`);
    await new Promise((r) => setTimeout(r, 200));
    expect(logged).toContain("/healthz?token=[redacted]&x=1");
    expect(logged).toContain("/trpc?connectionParams=[redacted]");
    expect(logged).not.toContain(secret);
  });

  it("runs a batch of 600 calls through the typed client, split into requests the server accepts", async () => {
    let requests = 0;
    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `http://127.0.0.1:${port}/trpc`,
          transformer: superjson,
          ...BATCH_LIMITS,
          fetch: (input, init) => {
            requests += 1;
            return fetch(input, init);
          },
        }),
      ],
    });
    const answers = await Promise.all(Array.from({ length: 600 }, () => client.auth.me.query()));
    expect(answers).toEqual(Array(600).fill(null));
    expect(requests).toBeGreaterThan(1);
  });

  it("answers requests that arrive while shutting down with 503 in the shape their client reads", {
    timeout: 60_000,
  }, async () => {
    for (const client of clients.splice(0)) await client.close();
    // A request whose body is still arriving keeps its connection open while the server drains;
    // the rest of it arrives during shutdown.
    const { socket, received, closed } = rawConnection();
    const body = JSON.stringify({ json: { email: "a@b.c", password: "whatever it is" } });
    socket.write(
      `POST /trpc/auth.login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    await new Promise((r) => setTimeout(r, 100));
    const stopped = app.gantry.stop();
    await new Promise((r) => setTimeout(r, 100));
    socket.write(body.slice(5));
    await within(closed, 8000, "the draining connection");
    await stopped;
    expect(received()).toMatch(/^HTTP\/1\.1 503/);
    const error = JSON.parse(bodyOf(received())).error.json;
    // What the typed client turns into a TRPCClientError with data.code SERVICE_UNAVAILABLE.
    expect(error.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", httpStatus: 503, path: "auth.login" });
    expect(error.message).toMatch(/restarting/);
  });
});

/** The body of a raw HTTP/1.1 response, chunked or not. */
function bodyOf(response: string): string {
  const at = response.indexOf("\r\n\r\n");
  const head = response.slice(0, at).toLowerCase();
  let rest = response.slice(at + 4);
  if (!head.includes("transfer-encoding: chunked")) return rest;
  let body = "";
  for (;;) {
    const eol = rest.indexOf("\r\n");
    const size = Number.parseInt(rest.slice(0, eol), 16);
    if (!size) return body;
    body += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}
