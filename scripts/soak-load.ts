/**
 * The soak's traffic: what one simulated user call does, picked by weight. Every call goes to
 * one of the APIs in turn and returns the answers it got (one call may need two requests, as
 * signing out does). Setup creates the users, data sets and pipelines the calls use.
 */
import { randomUUID } from "node:crypto";
import type { TrpcAnswer, TrpcHttp } from "../src/server/testing/processes.js";

export interface SoakUser {
  email: string;
  password: string;
  token: string;
  datasetId?: string;
  pipelineId?: string;
  payments: string[];
}

export interface LoadState {
  apis: TrpcHttp[];
  users: SoakUser[];
  adminToken: string;
  /** Sessions the soak ended itself: the invariants probe that they stay refused. */
  revoked: string[];
}

export const PASSWORD = "soak test passphrase, long enough";
const STEPS = [
  { type: "filter", column: "v", operator: "gte", value: 5 },
  { type: "aggregate", groupBy: ["k"], aggregations: [{ function: "sum", column: "v", as: "total" }] },
];
const smallCsv = () => ["k,v", ...Array.from({ length: 20 }, (_, i) => `${"abc"[i % 3]},${i}`)].join("\n");

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
let turn = 0;
const nextApi = (state: LoadState) => state.apis[turn++ % state.apis.length] as TrpcHttp;

type Operation = (state: LoadState) => Promise<TrpcAnswer[]>;

const operations: Record<string, { weight: number; run: Operation }> = {
  "auth.login": {
    weight: 8,
    run: async (s) => {
      const user = pick(s.users);
      return [await nextApi(s).mutation("auth.login", { email: user.email, password: user.password })];
    },
  },
  "auth.me": { weight: 20, run: async (s) => [await nextApi(s).query("auth.me", undefined, pick(s.users).token)] },
  /** Signs in, then out on another API: the session must stay refused everywhere. */
  "auth.logout": {
    weight: 2,
    run: async (s) => {
      const user = pick(s.users);
      const login = await nextApi(s).mutation<{ accessToken: string }>("auth.login", {
        email: user.email,
        password: user.password,
      });
      if (!login.data) return [login];
      const logout = await nextApi(s).mutation("auth.logout", undefined, login.data.accessToken);
      if (logout.code === "OK") s.revoked.push(login.data.accessToken);
      return [login, logout];
    },
  },
  "payments.create": {
    weight: 12,
    run: async (s) => {
      const user = pick(s.users);
      const amount = 500 + Math.floor(Math.random() * 4500);
      const answer = await nextApi(s).mutation<{ id: string }>(
        "payments.create",
        { amount, currency: "USD", paymentMethod: "pm_card_visa", idempotencyKey: randomUUID() },
        user.token,
      );
      if (answer.data) user.payments.push(answer.data.id);
      return [answer];
    },
  },
  /** A small partial refund of one of the user's payments (CONFLICT when not settled or used up). */
  "payments.refund": {
    weight: 6,
    run: async (s) => {
      const user = pick(s.users.filter((u) => u.payments.length > 0).concat(s.users[0] as SoakUser));
      const paymentId = user.payments.length > 0 ? pick(user.payments) : undefined;
      if (!paymentId) return [];
      const input = { paymentId, amount: 200, idempotencyKey: randomUUID() };
      return [await nextApi(s).mutation("payments.refund", input, user.token)];
    },
  },
  "payments.list": {
    weight: 12,
    run: async (s) => [await nextApi(s).query("payments.list", { pageSize: 20 }, pick(s.users).token)],
  },
  "datasets.upload": {
    weight: 3,
    run: async (s) => [await nextApi(s).upload(`soak ${randomUUID().slice(0, 8)}`, smallCsv(), pick(s.users).token)],
  },
  "pipelines.preview": {
    weight: 10,
    run: async (s) => {
      const user = pick(s.users.filter((u) => u.datasetId));
      return [await nextApi(s).query("pipelines.preview", { datasetId: user.datasetId, steps: STEPS }, user.token)];
    },
  },
  "pipelines.run": {
    weight: 4,
    run: async (s) => {
      const user = pick(s.users.filter((u) => u.pipelineId));
      const input = { pipelineId: user.pipelineId, idempotencyKey: randomUUID() };
      return [await nextApi(s).mutation("pipelines.run", input, user.token)];
    },
  },
  "users.list": {
    weight: 5,
    run: async (s) => [await nextApi(s).query("users.list", { pageSize: 20 }, s.adminToken)],
  },
};

const totalWeight = Object.values(operations).reduce((sum, op) => sum + op.weight, 0);

/** One call of the mix, chosen by weight. */
export function pickOperation(): { name: string; run: Operation } {
  let at = Math.random() * totalWeight;
  for (const [name, op] of Object.entries(operations)) {
    at -= op.weight;
    if (at < 0) return { name, run: op.run };
  }
  return { name: "auth.me", run: (operations["auth.me"] as { run: Operation }).run };
}

/**
 * Users with a ready data set and a pipeline over it each, made before the clock starts (the
 * import runs on a worker, so this also proves the workers work).
 */
export async function setUp(apis: TrpcHttp[], admin: { email: string; password: string }, count: number) {
  const api = apis[0] as TrpcHttp;
  const login = await api.mutation<{ accessToken: string }>("auth.login", admin);
  if (!login.data) throw new Error(`admin sign-in failed: ${login.code}`);
  const users: SoakUser[] = [];
  for (let i = 0; i < count; i += 1) {
    const email = `soak-${i}-${randomUUID().slice(0, 8)}@soak.test`;
    const signup = await api.mutation<{ accessToken: string }>("auth.signup", {
      email,
      password: PASSWORD,
      name: `S${i}`,
    });
    if (!signup.data) throw new Error(`sign-up failed: ${signup.code}`);
    const user: SoakUser = { email, password: PASSWORD, token: signup.data.accessToken, payments: [] };
    users.push(user);
    if (i % 2 === 0) {
      const upload = await api.upload(`seed ${i}`, smallCsv(), user.token);
      if (!upload.data) throw new Error(`upload failed: ${upload.code}`);
      user.datasetId = upload.data.datasetId;
    }
  }
  for (const user of users.filter((u) => u.datasetId)) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const view = await api.query<{ status: string }>("pipelines.datasets.byId", { id: user.datasetId }, user.token);
      if (view.data?.status === "ready") break;
      if (Date.now() > deadline) throw new Error(`seed data set never became ready: ${JSON.stringify(view)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const pipeline = await api.mutation<{ id: string }>(
      "pipelines.create",
      { name: "soak totals", datasetId: user.datasetId, steps: STEPS },
      user.token,
    );
    if (!pipeline.data) throw new Error(`pipeline create failed: ${pipeline.code}`);
    user.pipelineId = pipeline.data.id;
  }
  return { users, adminToken: login.data.accessToken };
}
