import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./accounts.js";
import { type AuthAnswer, mutate } from "./trpc.js";

/** Long, unusual passwords: the server refuses common ones. */
export const FIXTURE_PASSWORD = "Harbour-kestrel-5192";

let counter = 0;
export function uniqueEmail(tag: string): string {
  counter += 1;
  return `${tag}-${Date.now()}-${counter}@gantry.test`;
}

/** A tRPC query over plain HTTP (superjson wire format), as `mutate` does for mutations. */
export async function query<T>(request: APIRequestContext, path: string, input: unknown, token: string): Promise<T> {
  const response = await request.get(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { result?: { data?: { json?: T } } };
  if (!response.ok() || body.result?.data?.json === undefined) throw new Error(`${path} failed (${response.status()})`);
  return body.result.data.json;
}

export interface Account {
  email: string;
  password: string;
  token: string;
  id: string;
}

/** Signs up an account through the API; a guest is made one by the bootstrapped admin. */
export async function createAccount(
  request: APIRequestContext,
  role: "user" | "guest",
  name = `A ${role}`,
): Promise<Account> {
  const email = uniqueEmail(role);
  const created = await mutate<AuthAnswer>(request, "auth.signup", { email, password: FIXTURE_PASSWORD, name });
  if (role === "guest") {
    const admin = await mutate<AuthAnswer>(request, "auth.login", E2E_ADMIN);
    await mutate(request, "users.setRole", { userId: created.user.id, role: "guest" }, admin.accessToken);
  }
  return { email, password: FIXTURE_PASSWORD, token: created.accessToken, id: created.user.id };
}

export async function adminAccount(request: APIRequestContext): Promise<Account> {
  const answer = await mutate<AuthAnswer>(request, "auth.login", E2E_ADMIN);
  return { ...E2E_ADMIN, token: answer.accessToken, id: answer.user.id };
}

/** What a signed-in user owns after a little use: a data set, a pipeline, a finished run, a payment. */
export interface Belongings {
  datasetId: string;
  pipelineId: string;
  runId: string;
  paymentId: string;
}

const SALES_CSV = `city,amount,date\n${Array.from(
  { length: 60 },
  (_, i) => `${["Paris", "Lyon", "Nice"][i % 3]},${(i % 17) + 1},2024-01-${String((i % 28) + 1).padStart(2, "0")}`,
).join("\n")}\n`;

export async function giveBelongings(request: APIRequestContext, token: string): Promise<Belongings> {
  const upload = await request.post(`/api/datasets?name=${encodeURIComponent("City sales")}&format=csv`, {
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    data: Buffer.from(SALES_CSV, "utf8"),
  });
  expect(upload.status()).toBe(202);
  const { datasetId } = (await upload.json()) as { datasetId: string };
  await expect
    .poll(
      async () =>
        (await query<{ status: string }>(request, "pipelines.datasets.byId", { id: datasetId }, token)).status,
    )
    .toBe("ready");
  const pipeline = await mutate<{ id: string }>(
    request,
    "pipelines.create",
    { name: "Big sales", datasetId, steps: [{ type: "filter", column: "amount", operator: "gt", value: "10" }] },
    token,
  );
  const run = await mutate<{ id: string }>(
    request,
    "pipelines.run",
    { pipelineId: pipeline.id, idempotencyKey: randomUUID() },
    token,
  );
  await expect
    .poll(async () => (await query<{ status: string }>(request, "pipelines.runById", { runId: run.id }, token)).status)
    .toBe("succeeded");
  const payment = await mutate<{ id: string }>(
    request,
    "payments.create",
    {
      amount: 1250,
      currency: "USD",
      paymentMethod: "pm_card_visa",
      description: "Coffee beans",
      idempotencyKey: randomUUID(),
    },
    token,
  );
  return { datasetId, pipelineId: pipeline.id, runId: run.id, paymentId: payment.id };
}

export async function signIn(page: Page, account: Pick<Account, "email" | "password">) {
  await page.goto("/login");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(account.email);
  await form.getByLabel("Password", { exact: true }).fill(account.password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-menu").getByTestId("user-name")).toBeAttached();
}
