import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import type { PaymentDetail } from "../../shared/schemas/payments.js";
import { type Cluster, startCluster } from "../testing/cluster.js";
import { allHold, checkInvariants, formatInvariants, httpSessionProbe } from "../testing/invariants.js";
import type { TrpcHttp } from "../testing/processes.js";
import type { AppRouter } from "../trpc/router.js";

/**
 * Two API processes and two worker processes behave as one Gantry: what happens through one
 * API is seen live, limited and revoked through the other, whichever worker does the work.
 */
const PASSWORD = "a perfectly fine passphrase";

describe("two API processes and two workers behave as one", () => {
  let cluster: Cluster;
  let a: TrpcHttp;
  let b: TrpcHttp;
  const revoked: string[] = [];
  const sockets: Array<ReturnType<typeof createWSClient>> = [];
  let users = 0;

  beforeAll(async () => {
    cluster = await startCluster({ apis: 2, workers: 2 });
    [a, b] = cluster.apis.map((api) => api.http) as [TrpcHttp, TrpcHttp];
  }, 120_000);
  afterAll(async () => {
    for (const socket of sockets) await socket.close();
    await cluster?.close();
  }, 60_000);

  async function signup(via: TrpcHttp): Promise<{ email: string; token: string }> {
    users += 1;
    const email = `two-${users}@faults.test`;
    const answer = await via.mutation<{ accessToken: string }>("auth.signup", { email, password: PASSWORD, name: "T" });
    expect(answer.code).toBe("OK");
    return { email, token: answer.data?.accessToken ?? "" };
  }

  /** A typed WebSocket client on API `index`, as the browser's live pages use. */
  function live(index: number, token: string) {
    const client = createWSClient({
      url: `${cluster.apis[index]?.url.replace("http", "ws")}/trpc`,
      WebSocket: NodeWebSocket as unknown as typeof WebSocket,
      connectionParams: { token },
    });
    sockets.push(client);
    return createTRPCClient<AppRouter>({ links: [wsLink({ client, transformer: superjson })] });
  }

  it("shows on API B, live, a payment made on API A and settled by a worker", async () => {
    const { token } = await signup(a);
    const created = await a.mutation<{ id: string }>(
      "payments.create",
      { amount: 4200, currency: "EUR", paymentMethod: "pm_card_visa", idempotencyKey: "live-across" },
      token,
    );
    expect(created.code).toBe("OK");
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no succeeded update on B; saw ${seen.join(", ")}`)), 20_000);
      const subscription = live(1, token).payments.onPayment.subscribe(
        { paymentId: created.data?.id ?? "" },
        {
          onData: (payment: PaymentDetail) => {
            seen.push(payment.status);
            if (payment.status === "succeeded") {
              clearTimeout(timer);
              subscription.unsubscribe();
              resolve();
            }
          },
          onError: reject,
        },
      );
    });
    expect(seen.at(-1)).toBe("succeeded");
  }, 30_000);

  it("counts failed sign-ins for one account across both APIs", async () => {
    const { email } = await signup(a);
    const fail = (via: TrpcHttp) => via.mutation("auth.login", { email, password: "not the password" });
    const failures = [];
    for (const via of [a, b, a, b, a]) failures.push((await fail(via)).code);
    expect(failures).toEqual(Array(5).fill("UNAUTHORIZED"));
    // Three failures on A, two on B: only a shared count has reached the limit.
    expect((await b.mutation("auth.login", { email, password: PASSWORD })).code).toBe("TOO_MANY_REQUESTS");
    expect((await a.mutation("auth.login", { email, password: PASSWORD })).code).toBe("TOO_MANY_REQUESTS");
  });

  it("creates one payment for one idempotency key sent through both APIs at once", async () => {
    const { token } = await signup(a);
    const input = { amount: 700, currency: "USD", paymentMethod: "pm_card_visa", idempotencyKey: "same-key-twice" };
    const answers = await Promise.all(
      [a, b, a, b].map((via) => via.mutation<{ id: string }>("payments.create", input, token)),
    );
    expect(answers.map((r) => r.code)).toEqual(["OK", "OK", "OK", "OK"]);
    expect(new Set(answers.map((r) => r.data?.id)).size).toBe(1);
  }, 30_000);

  it("lets only one of two refunds racing through different APIs take the last of a payment", async () => {
    const { token } = await signup(a);
    const created = await a.mutation<{ id: string }>(
      "payments.create",
      { amount: 1000, currency: "USD", paymentMethod: "pm_card_visa", idempotencyKey: "refund-race" },
      token,
    );
    const paymentId = created.data?.id ?? "";
    const deadline = Date.now() + 20_000;
    while (
      (await b.query<{ status: string }>("payments.byId", { id: paymentId }, token)).data?.status !== "succeeded"
    ) {
      if (Date.now() > deadline) throw new Error("payment never settled");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const refund = (via: TrpcHttp, key: string) =>
      via.mutation("payments.refund", { paymentId, amount: 600, idempotencyKey: key }, token);
    const codes = (await Promise.all([refund(a, "race-a"), refund(b, "race-b")])).map((r) => r.code).sort();
    expect(codes, cluster.output()).toEqual(["CONFLICT", "OK"]);
  }, 30_000);

  it("refuses on API B, at once, a session that signed out on API A", async () => {
    const { email } = await signup(a);
    const login = await a.mutation<{ accessToken: string }>("auth.login", { email, password: PASSWORD });
    const token = login.data?.accessToken ?? "";
    expect((await b.query("auth.sessions", undefined, token)).code).toBe("OK");
    expect((await a.mutation("auth.logout", undefined, token)).code).toBe("OK");
    expect((await b.query("auth.sessions", undefined, token)).code).toBe("UNAUTHORIZED");
    revoked.push(token);

    // Every session of a user, ended through B, is refused by A.
    const { token: first } = await signup(b);
    const second = await b.mutation<{ accessToken: string }>("auth.login", {
      email: `two-${users}@faults.test`,
      password: PASSWORD,
    });
    expect((await b.mutation("auth.logoutAll", undefined, first)).code).toBe("OK");
    for (const ended of [first, second.data?.accessToken ?? ""]) {
      expect((await a.query("auth.sessions", undefined, ended)).code).toBe("UNAUTHORIZED");
      revoked.push(ended);
    }
  });

  it("leaves every invariant holding, with revoked sessions refused by both APIs", async () => {
    for (const api of cluster.apis) {
      const invariants = await checkInvariants(cluster.databaseUrl, {
        drainTimeoutMs: 20_000,
        revokedTokens: revoked,
        probe: httpSessionProbe(api.url),
      });
      expect(allHold(invariants), formatInvariants(invariants)).toBe(true);
    }
  }, 60_000);
});
