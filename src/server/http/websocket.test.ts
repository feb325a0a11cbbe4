import type { AddressInfo } from "node:net";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { createTestApp, type TestApp } from "../testing/app.js";
import type { AppRouter } from "../trpc/router.js";

/**
 * Sessions over the WebSocket, the way a browser opens it: the cookie rides on the upgrade
 * request, and it only counts when the Origin is the app's own.
 */
describe("WebSocket sessions", () => {
  let app: TestApp;
  let base: string;
  const clients: Array<ReturnType<typeof createWSClient>> = [];

  beforeAll(async () => {
    app = await createTestApp("embedded");
    const address = app.gantry.http?.server.address() as AddressInfo;
    base = `127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await app?.close();
  });

  function connect(options: { cookie?: string; origin?: string; token?: string }) {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.origin) headers.origin = options.origin;
    // A browser sends these on the upgrade request by itself; Node's `ws` needs them given.
    class BrowserLikeWebSocket extends NodeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const wsClient = createWSClient({
      url: `ws://${base}/trpc`,
      WebSocket: BrowserLikeWebSocket as unknown as typeof WebSocket,
      connectionParams: options.token ? { token: options.token } : undefined,
    });
    clients.push(wsClient);
    return createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient, transformer: superjson })] });
  }

  it("reads the session cookie on a same-origin upgrade", async () => {
    const { token, email } = await app.signup();
    const client = connect({ cookie: `gantry_session=${token}`, origin: `http://${base}` });
    expect(await client.auth.me.query()).toMatchObject({ email });
  });

  it("ignores the cookie on a cross-site upgrade", async () => {
    const { token } = await app.signup();
    const client = connect({ cookie: `gantry_session=${token}`, origin: "http://evil.example" });
    expect(await client.auth.me.query()).toBeNull();
  });

  it("accepts a token in the connection params (typed clients)", async () => {
    const { token, email } = await app.signup();
    expect(await connect({ token }).auth.me.query()).toMatchObject({ email });
  });

  it("checks the session on every call: a logout elsewhere ends it on the open connection", async () => {
    const { token } = await app.signup();
    const client = connect({ cookie: `gantry_session=${token}`, origin: `http://${base}` });
    expect(await client.auth.sessions.query()).toHaveLength(1);

    const updates: Array<unknown> = [];
    const ended = new Promise<void>((resolve) => {
      const subscription = client.auth.onAccount.subscribe(undefined, {
        onData: (user) => {
          updates.push(user);
          if (user === null) {
            subscription.unsubscribe();
            resolve();
          }
        },
      });
    });
    // Let the subscription start before the logout happens.
    await new Promise((r) => setTimeout(r, 200));
    await app.caller({ token }).auth.logoutAll();
    await ended;
    expect(updates.at(-1)).toBeNull();
    await expect(client.auth.sessions.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });
});
